package org.example.blockstore;

/** The outcome of one request. */
public final class Response {
    private final boolean ok;
    private final String detail;

    private Response(boolean ok, String detail) {
        this.ok = ok;
        this.detail = detail;
    }

    public static Response success(String detail) { return new Response(true, detail); }
    public static Response failure(String detail) { return new Response(false, detail); }

    public boolean isOk() { return ok; }
    public String getDetail() { return detail; }
}
