package org.example.blockstore;

import java.io.IOException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** READ: serve a block from the first live replica. */
public final class ReadBlockHandler implements RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ReadBlockHandler.class);

    private final NameSystem nameSystem;

    public ReadBlockHandler(NameSystem nameSystem) {
        this.nameSystem = nameSystem;
    }

    @Override
    public Response handle(Request request) throws IOException {
        List<String> holders = nameSystem.holders(request.getBlockId());
        if (holders.isEmpty()) {
            LOG.error("Cannot read blk_{}: no live replicas", request.getBlockId());
            throw new IOException("no replicas");
        }
        String node = holders.get(0);
        LOG.info("Served block blk_{} to {} from {}", request.getBlockId(), request.getClient(), node);
        return Response.success(node);
    }
}
