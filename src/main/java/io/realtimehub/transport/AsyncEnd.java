package io.realtimehub.transport;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/**
 * Tells an {@link HttpConnection} that the container ended its response (completed, timed out or
 * failed). A class of its own with a no-argument constructor: application servers (WildFly) treat
 * every {@link AsyncListener} in a WAR as an injectable component and warn about one they cannot
 * construct; the container never builds this one, the connection does.
 */
public final class AsyncEnd implements AsyncListener {
    private final HttpConnection connection;

    /** For containers that construct listener classes themselves; such an instance does nothing. */
    public AsyncEnd() {
        this(null);
    }

    AsyncEnd(HttpConnection connection) {
        this.connection = connection;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        if (connection != null) {
            connection.ended();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        if (connection != null) {
            connection.onError(event.getThrowable());
        }
    }

    @Override
    public void onError(AsyncEvent event) {
        if (connection != null) {
            connection.onError(event.getThrowable());
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // a response is suspended once
    }
}
