package dev.clipflow.auth.user.rest;

import io.vertx.core.http.HttpServerRequest;

/** The client's address as the HTTP layer resolved it (X-Forwarded-For only from trusted proxies). */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
