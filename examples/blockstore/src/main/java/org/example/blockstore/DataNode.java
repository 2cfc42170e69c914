package org.example.blockstore;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A storage worker thread: receives block transfers from its queue and acknowledges them. */
public final class DataNode implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DataNode.class);
    private static final int PACKET_SIZE = 65536;

    /** One transfer: a block copied from a source to this datanode. */
    public static final class Transfer {
        final long blockId;
        final long size;
        final String source;
        final Runnable onDone;
        /** Called with true when the failure is worth a retry (timeouts, refused connections). */
        final Consumer<Boolean> onFailure;

        public Transfer(long blockId, long size, String source, Runnable onDone, Consumer<Boolean> onFailure) {
            this.blockId = blockId;
            this.size = size;
            this.source = source;
            this.onDone = onDone;
            this.onFailure = onFailure;
        }
    }

    private final String address;
    private final NameSystem nameSystem;
    private final FaultInjector faults;
    private final BlockingQueue<Transfer> queue = new LinkedBlockingQueue<>();
    private volatile boolean running = true;

    public DataNode(String address, NameSystem nameSystem, FaultInjector faults) {
        this.address = address;
        this.nameSystem = nameSystem;
        this.faults = faults;
    }

    public String getAddress() { return address; }

    public void submit(Transfer transfer) { queue.add(transfer); }

    public void shutdown() { running = false; }

    @Override
    public void run() {
        log.info("DataNode {} starting", address);
        while (running || !queue.isEmpty()) {
            Transfer transfer;
            try {
                transfer = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                log.warn("DataNode {} interrupted, stopping", address);
                Thread.currentThread().interrupt();
                return;
            }
            if (transfer == null) {
                continue;
            }
            Boolean retryable = receiveBlock(transfer);
            if (retryable == null) {
                transfer.onDone.run();
            } else {
                transfer.onFailure.accept(retryable);
            }
        }
        log.info("DataNode {} stopped", address);
    }

    /** Receive one block packet by packet; null when stored, else whether a retry may help. */
    Boolean receiveBlock(Transfer transfer) {
        log.info("Receiving block blk_{} src: {} dest: {}", transfer.blockId, transfer.source, address);
        long received = 0;
        int packets = 0;
        // One fault draw per transfer, striking halfway through, so the fault rate is per block.
        FaultInjector.Fault fault = faults.next();
        try {
            while (received < transfer.size) {
                if (fault != FaultInjector.Fault.NONE && received >= transfer.size / 2) {
                    switch (fault) {
                        case TIMEOUT:
                            throw new TransferException("Timeout waiting for packet " + packets, true);
                        case REFUSED:
                            throw new TransferException("Connection refused by " + transfer.source, true);
                        case CORRUPT:
                            throw new TransferException("Checksum error in packet " + packets, false);
                        case DISK_FULL:
                            log.error("No space left on device while writing blk_{}", transfer.blockId);
                            return Boolean.FALSE;
                        default:
                            break;
                    }
                }
                received += Math.min(PACKET_SIZE, transfer.size - received);
                packets++;
                if (log.isDebugEnabled()) {
                    log.debug("Received packet {} of blk_{} ({} bytes so far)", packets, transfer.blockId, received);
                }
            }
        } catch (TransferException e) {
            log.warn("Exception in receiveBlock for block blk_{}: {}", transfer.blockId, e.getMessage());
            return e.isRetryable();
        } finally {
            log.info("PacketResponder {} for block blk_{} terminating", packets, transfer.blockId);
        }
        log.info("Received block blk_{} of size {} from {}", transfer.blockId, transfer.size, transfer.source);
        nameSystem.addStoredBlock(transfer.blockId, address, transfer.size);
        return null;
    }
}
