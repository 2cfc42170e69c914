package org.example.blockstore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Block metadata: which blocks exist and which datanodes hold a replica (log4j 2 API). */
public final class NameSystem {
    private static final Logger LOG = LogManager.getLogger(NameSystem.class);
    private static final String PREFIX = "BLOCK* NameSystem.";

    private final Map<Long, List<String>> replicas = new HashMap<>();
    private final Map<Long, Long> sizes = new HashMap<>();
    private final int replication;

    public NameSystem(int replication) {
        this.replication = replication;
    }

    public synchronized List<String> allocateBlock(long blockId, String path, List<String> datanodes) {
        if (replicas.containsKey(blockId)) {
            LOG.warn(PREFIX + "allocateBlock: block blk_{} already exists for {}", blockId, path);
            return replicas.get(blockId);
        }
        List<String> targets = new ArrayList<>(datanodes.subList(0, Math.min(replication, datanodes.size())));
        replicas.put(blockId, new ArrayList<>());
        LOG.info(PREFIX + "allocateBlock: {}. blk_{}", path, blockId);
        return targets;
    }

    public synchronized void addStoredBlock(long blockId, String datanode, long size) {
        List<String> holders = replicas.get(blockId);
        if (holders == null) {
            LOG.error(PREFIX + "addStoredBlock: blk_{} on {} does not belong to any file", blockId, datanode);
            return;
        }
        holders.add(datanode);
        sizes.put(blockId, size);
        LOG.info(PREFIX + "addStoredBlock: blockMap updated: {} is added to blk_{} size {}", datanode, blockId, size);
        if (holders.size() < replication) {
            LOG.debug("blk_{} has {} of {} replicas", blockId, holders.size(), replication);
        }
    }

    public synchronized boolean removeBlock(long blockId) {
        List<String> holders = replicas.remove(blockId);
        if (holders == null) {
            LOG.warn(PREFIX + "delete: blk_{} is not found", blockId);
            return false;
        }
        for (String holder : holders) {
            LOG.info(PREFIX + "delete: blk_{} is added to invalidSet of {}", blockId, holder);
        }
        return true;
    }

    public synchronized List<String> holders(long blockId) {
        List<String> holders = replicas.get(blockId);
        return holders == null ? new ArrayList<>() : new ArrayList<>(holders);
    }

    public synchronized Map<Long, Integer> underReplicated() {
        Map<Long, Integer> missing = new HashMap<>();
        for (Map.Entry<Long, List<String>> entry : replicas.entrySet()) {
            int have = entry.getValue().size();
            if (have > 0 && have < replication) {
                missing.put(entry.getKey(), replication - have);
            }
        }
        return missing;
    }
}
