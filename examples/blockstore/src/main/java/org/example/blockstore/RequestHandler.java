package org.example.blockstore;

import java.io.IOException;

/** The protocol interface every RPC handler implements. */
public interface RequestHandler {
    Response handle(Request request) throws IOException;
}
