package org.example.blockstore;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes each request to its handler; failures are logged and counted, never propagated. */
public final class RpcDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RpcDispatcher.class);

    private final RequestHandler writeHandler;
    private final RequestHandler readHandler;
    private final RequestHandler deleteHandler;
    private final AtomicInteger failures = new AtomicInteger();

    public RpcDispatcher(RequestHandler writeHandler, RequestHandler readHandler, RequestHandler deleteHandler) {
        this.writeHandler = writeHandler;
        this.readHandler = readHandler;
        this.deleteHandler = deleteHandler;
    }

    public boolean dispatch(Request request) {
        RequestHandler handler;
        switch (request.getKind()) {
            case WRITE:
                handler = writeHandler;
                break;
            case READ:
                handler = readHandler;
                break;
            case DELETE:
                handler = deleteHandler;
                break;
            default:
                LOG.warn("Unsupported request {} for blk_{}", request.getKind(), request.getBlockId());
                return false;
        }
        long start = System.nanoTime();
        try {
            Response response = handler.handle(request);
            if (!response.isOk()) {
                LOG.warn("{} of blk_{} refused: {}", request.getKind(), request.getBlockId(), response.getDetail());
            }
            return response.isOk();
        } catch (IOException e) {
            failures.incrementAndGet();
            LOG.error("RPC " + request.getKind() + " for blk_" + request.getBlockId() + " failed: " + e.getMessage());
            return false;
        } finally {
            long micros = (System.nanoTime() - start) / 1000;
            if (LOG.isTraceEnabled()) {
                LOG.trace("{} of blk_{} took {} us", request.getKind(), request.getBlockId(), micros);
            }
        }
    }

    public int failures() { return failures.get(); }
}
