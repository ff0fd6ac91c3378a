package io.realtimehub.web;

import io.realtimehub.core.Hub;
import io.realtimehub.core.HubMetrics;
import io.realtimehub.core.HubSettings;
import io.realtimehub.relay.LocalRelay;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsLogTest {
    @Test
    void logsConnectionsByTransportHeapAndRelayInOneLine() {
        var metrics = new HubMetrics();
        var relay = new LocalRelay();
        var hub = new Hub(HubSettings.from(key -> key.equals("hub.node") ? "node-7" : null), relay, metrics, Clock.systemUTC());
        hub.start();
        metrics.connectionOpened("sse");
        metrics.connectionOpened("sse");
        metrics.connectionOpened("websocket");
        String line = new StatsLog(hub).line();
        assertTrue(line.matches("node node-7 connections websocket=1 poll=0 jsonp=0 iframe=0 sse=2 total=3"
                + " sessions=0 heap=\\d+/\\d+MB relay=UP"), line);
        hub.stop(0);
    }
}
