package org.example.blockstore;

import java.io.IOException;

/** A block transfer failed: a timeout, a refused connection or a checksum mismatch. */
public class TransferException extends IOException {
    private final boolean retryable;

    public TransferException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean isRetryable() { return retryable; }
}
