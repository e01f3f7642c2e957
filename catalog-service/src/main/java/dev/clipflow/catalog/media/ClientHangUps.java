package dev.clipflow.catalog.media;

import io.quarkus.logging.LoggingFilter;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Vert.x logs a client's hang-up during a file transfer (sendfile) at ERROR, whatever handler the connection
 * has ({@code ConnectionBase.sendFileRegion}: "Broken pipe", "Connection reset by peer", a closed channel).
 * Players that seek or close do that all the time: it is the client's business, not a failure of this service.
 * This console filter ({@code quarkus.log.console.filter=client-hang-up}) turns exactly those records into
 * DEBUG records of their category; every other record passes unchanged.
 */
@LoggingFilter(name = "client-hang-up")
public final class ClientHangUps implements Filter {

    static final String VERTX_CONNECTION = "io.vertx.core.net.impl.ConnectionBase";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!VERTX_CONNECTION.equals(record.getLoggerName()) || record.getLevel().intValue() < Level.WARNING.intValue()
                || !hangUp(record)) {
            return true;
        }
        record.setLevel(Level.FINE);
        return Logger.getLogger(VERTX_CONNECTION).isLoggable(Level.FINE);
    }

    private static boolean hangUp(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (thrown instanceof ClosedChannelException) {
            return true;
        }
        String message = thrown instanceof IOException ? thrown.getMessage() : record.getMessage();
        return message != null && (message.contains("Broken pipe") || message.contains("Connection reset by peer"));
    }
}
