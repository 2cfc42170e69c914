package org.example.blockstore;

import java.util.Map;

import org.apache.log4j.Logger;

/** Periodically reports blocks with too few replicas (log4j 1.x API, as older Hadoop code does). */
public final class ReplicationMonitor extends Thread {
    private static final Logger LOG = Logger.getLogger(ReplicationMonitor.class);

    private final NameSystem nameSystem;
    private final long intervalMillis;
    private volatile boolean stopped;

    public ReplicationMonitor(NameSystem nameSystem, long intervalMillis) {
        super("ReplicationMonitor");
        this.nameSystem = nameSystem;
        this.intervalMillis = intervalMillis;
        setDaemon(true);
    }

    public void shutdown() {
        stopped = true;
        interrupt();
    }

    @Override
    public void run() {
        LOG.info("Replication monitor started, checking every " + intervalMillis + " ms");
        while (!stopped) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                break;
            }
            reportOnce();
        }
        LOG.info("Replication monitor stopped");
    }

    /** Log every under-replicated block once; returns how many there were. */
    public int reportOnce() {
        Map<Long, Integer> missing = nameSystem.underReplicated();
        for (Map.Entry<Long, Integer> entry : missing.entrySet()) {
            LOG.warn("blk_" + entry.getKey() + " is under replicated: " + entry.getValue() + " replicas missing");
        }
        return missing.size();
    }
}
