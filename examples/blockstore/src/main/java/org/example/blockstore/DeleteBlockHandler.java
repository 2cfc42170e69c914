package org.example.blockstore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DELETE: drop a block's metadata; datanodes purge their replica later. */
public final class DeleteBlockHandler implements RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteBlockHandler.class);

    private final NameSystem nameSystem;

    public DeleteBlockHandler(NameSystem nameSystem) {
        this.nameSystem = nameSystem;
    }

    @Override
    public Response handle(Request request) {
        LOG.info("Deleting block blk_{} on request of {}", request.getBlockId(), request.getClient());
        if (!nameSystem.removeBlock(request.getBlockId())) {
            return Response.failure("unknown block");
        }
        return Response.success("deleted");
    }
}
