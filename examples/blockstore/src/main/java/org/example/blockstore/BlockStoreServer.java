package org.example.blockstore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small replicated block store: clients write, read and delete blocks through an RPC
 * dispatcher; datanode worker threads receive replicas; faults are injected with a seed.
 *
 * <p>Usage: {@code BlockStoreServer [--blocks N] [--seed S] [--fault-rate R] [--labels FILE]}.
 * The labels file gets one line per block: {@code blk_<id>,<0|1>}, 1 when the block ended up
 * under-replicated or unreadable (the ground truth for anomaly detection).
 */
public final class BlockStoreServer {
    private static final Logger LOG = LoggerFactory.getLogger(BlockStoreServer.class);
    private static final int REPLICATION = 3;

    private BlockStoreServer() {
    }

    public static void main(String[] args) throws Exception {
        int blocks = 200;
        long seed = 42L;
        double faultRate = 0.04;
        String labelsFile = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--blocks":
                    blocks = Integer.parseInt(args[i + 1]);
                    break;
                case "--seed":
                    seed = Long.parseLong(args[i + 1]);
                    break;
                case "--fault-rate":
                    faultRate = Double.parseDouble(args[i + 1]);
                    break;
                case "--labels":
                    labelsFile = args[i + 1];
                    break;
                default:
                    LOG.warn("Ignoring unknown option {}", args[i]);
            }
        }
        LOG.info("Starting block store with {} blocks, seed {}, fault rate {}", blocks, seed, faultRate);

        NameSystem nameSystem = new NameSystem(REPLICATION);
        FaultInjector faults = new FaultInjector(seed, faultRate);
        List<DataNode> dataNodes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            DataNode node = new DataNode("10.250." + (10 + i) + "." + (100 + i) + ":50010", nameSystem, faults);
            dataNodes.add(node);
            Thread thread = new Thread(node, "DataNode-" + i);
            threads.add(thread);
            thread.start();
        }
        ReplicationMonitor monitor = new ReplicationMonitor(nameSystem, 60_000L);
        monitor.start();

        RpcDispatcher dispatcher = new RpcDispatcher(
                new WriteBlockHandler(nameSystem, dataNodes, 2, 5_000L),
                new ReadBlockHandler(nameSystem),
                new DeleteBlockHandler(nameSystem));

        Random random = new Random(seed);
        Map<Long, Boolean> outcome = new LinkedHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        for (int b = 0; b < blocks; b++) {
            long blockId = random.nextLong();
            long size = 1024L * (1 + random.nextInt(4096));
            String client = "DFSClient_" + (1 + random.nextInt(8));
            boolean read = random.nextDouble() < 0.5;
            boolean delete = random.nextDouble() < 0.2;
            outcome.put(blockId, Boolean.TRUE);
            clients.submit(() -> {
                boolean ok = dispatcher.dispatch(new Request(Request.Kind.WRITE, blockId, size, client));
                if (read) {
                    ok &= dispatcher.dispatch(new Request(Request.Kind.READ, blockId, size, client));
                }
                if (ok && delete) {
                    ok = dispatcher.dispatch(new Request(Request.Kind.DELETE, blockId, 0, client));
                }
                synchronized (outcome) {
                    outcome.put(blockId, ok);
                }
            });
        }
        clients.shutdown();
        if (!clients.awaitTermination(5, TimeUnit.MINUTES)) {
            LOG.error("Clients did not finish within 5 minutes");
        }
        int underReplicated = monitor.reportOnce();
        monitor.shutdown();
        for (DataNode node : dataNodes) {
            node.shutdown();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        LOG.info("Block store stopped: {} RPC failures, {} under-replicated blocks",
                dispatcher.failures(), underReplicated);
        if (labelsFile != null) {
            writeLabels(labelsFile, outcome);
        }
    }

    private static void writeLabels(String file, Map<Long, Boolean> outcome) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(file), StandardCharsets.UTF_8))) {
            out.println("BlockId,Label");
            synchronized (outcome) {
                for (Map.Entry<Long, Boolean> entry : outcome.entrySet()) {
                    out.println("blk_" + entry.getKey() + "," + (entry.getValue() ? 0 : 1));
                }
            }
        }
    }
}
