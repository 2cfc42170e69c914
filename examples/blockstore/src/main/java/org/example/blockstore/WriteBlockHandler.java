package org.example.blockstore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** WRITE: allocate a block, copy it along a pipeline of datanodes, retry failed replicas. */
public final class WriteBlockHandler implements RequestHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(WriteBlockHandler.class);

    private final NameSystem nameSystem;
    private final List<DataNode> dataNodes;
    private final int maxRetries;
    private final long timeoutMillis;

    public WriteBlockHandler(NameSystem nameSystem, List<DataNode> dataNodes, int maxRetries, long timeoutMillis) {
        this.nameSystem = nameSystem;
        this.dataNodes = dataNodes;
        this.maxRetries = maxRetries;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Response handle(Request request) throws IOException {
        long blockId = request.getBlockId();
        String path = "/user/" + request.getClient() + "/part-" + Long.toHexString(blockId & 0xffff);
        List<String> addresses = new ArrayList<>();
        for (DataNode node : rotate(blockId)) {
            addresses.add(node.getAddress());
        }
        List<String> targets = nameSystem.allocateBlock(blockId, path, addresses);
        List<DataNode> pending = new ArrayList<>();
        for (DataNode node : dataNodes) {
            if (targets.contains(node.getAddress())) {
                pending.add(node);
            }
        }
        String source = request.getClient();
        List<DataNode> abandoned = new ArrayList<>();
        for (int attempt = 0; attempt <= maxRetries && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                LOGGER.info("Retrying transfer of blk_{} to {} datanodes (attempt {} of {})",
                        blockId, pending.size(), attempt, maxRetries);
            }
            pending = transferOnce(request, source, pending, abandoned);
        }
        if (!pending.isEmpty() || !abandoned.isEmpty()) {
            LOGGER.error("Failed to write blk_{}: {} replicas missing after {} retries",
                    blockId, pending.size() + abandoned.size(), maxRetries);
            throw new IOException("write of blk_" + blockId + " incomplete");
        }
        LOGGER.info("Completed write of blk_{} for {}", blockId, request.getClient());
        return Response.success("stored");
    }

    /** One round of transfers; returns the datanodes worth a retry, adds the others to abandoned. */
    private List<DataNode> transferOnce(Request request, String source, List<DataNode> targets,
            List<DataNode> abandoned) throws IOException {
        CountDownLatch done = new CountDownLatch(targets.size());
        ConcurrentLinkedQueue<DataNode> failed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<DataNode> lost = new ConcurrentLinkedQueue<>();
        for (DataNode node : targets) {
            node.submit(new DataNode.Transfer(request.getBlockId(), request.getSize(), source,
                    done::countDown, retryable -> {
                        if (retryable) {
                            failed.add(node);
                        } else {
                            lost.add(node);
                        }
                        done.countDown();
                    }));
        }
        try {
            if (!done.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                LOGGER.warn("Timed out after {} ms waiting for acks of blk_{}", timeoutMillis, request.getBlockId());
                throw new IOException("timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        for (DataNode node : lost) {
            LOGGER.warn("Giving up on replica of blk_{} at {}: the failure is not retryable",
                    request.getBlockId(), node.getAddress());
            abandoned.add(node);
        }
        return new ArrayList<>(failed);
    }

    private List<DataNode> rotate(long blockId) {
        int start = (int) Math.floorMod(blockId, (long) dataNodes.size());
        List<DataNode> order = new ArrayList<>();
        for (int i = 0; i < dataNodes.size(); i++) {
            order.add(dataNodes.get((start + i) % dataNodes.size()));
        }
        return order;
    }
}
