package org.example.blockstore;

/** An RPC request from a client: what to do with which block. */
public final class Request {
    public enum Kind { WRITE, READ, DELETE, REPLICATE }

    private final Kind kind;
    private final long blockId;
    private final long size;
    private final String client;

    public Request(Kind kind, long blockId, long size, String client) {
        this.kind = kind;
        this.blockId = blockId;
        this.size = size;
        this.client = client;
    }

    public Kind getKind() { return kind; }
    public long getBlockId() { return blockId; }
    public long getSize() { return size; }
    public String getClient() { return client; }

    public String blockName() { return "blk_" + blockId; }
}
