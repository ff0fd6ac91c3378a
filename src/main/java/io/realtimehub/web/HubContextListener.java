package io.realtimehub.web;

import io.realtimehub.auth.Access;
import io.realtimehub.auth.AuthSettings;
import io.realtimehub.core.Admission;
import io.realtimehub.core.Hub;
import io.realtimehub.core.HubMetrics;
import io.realtimehub.core.HubSettings;
import io.realtimehub.core.Relay;
import io.realtimehub.relay.ArtemisClient;
import io.realtimehub.relay.ArtemisRelay;
import io.realtimehub.transport.FrameFormat;
import io.realtimehub.transport.IframeFormat;
import io.realtimehub.transport.JsonpFormat;
import io.realtimehub.transport.Origins;
import io.realtimehub.transport.PollFormat;
import io.realtimehub.transport.SseFormat;
import io.realtimehub.transport.TransportServlet;
import io.realtimehub.transport.websocket.ContainerTuning;
import io.realtimehub.transport.websocket.HandshakeFilter;
import io.realtimehub.transport.websocket.WebSocketSetup;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import java.time.Clock;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Wires the hub, its relay and its transports when the WAR starts, and stops them cleanly. */
@WebListener
public final class HubContextListener implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(HubContextListener.class.getName());

    private Hub hub;
    private Relay relay;
    private Admission admission;
    private Access access;
    private final java.util.Queue<Thread> threads = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private ScheduledExecutorService timer;
    private ExecutorService closer;
    private Jsonb jsonb;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        var config = new Config(context);
        HubSettings settings = HubSettings.from(config);
        WebSettings web = WebSettings.from(config, settings);
        relay = RelayFactory.create(config, settings);
        hub = new Hub(settings, relay, new HubMetrics(), Clock.systemUTC());
        timer = Executors.newScheduledThreadPool(1, daemon("hub-timer"));
        closer = Executors.newCachedThreadPool(daemon("hub-ws-close"));
        jsonb = JsonbBuilder.create();
        access = new Access(AuthSettings.from(config));
        var origins = new Origins(web.origins());
        HeapWatch heap = HeapWatch.platform(web.admissionHeapPercent());
        admission = AdmissionSetup.create(web, hub, heap);

        add(context, "poll", "/poll", transport(new PollFormat(), web.poll(), origins));
        add(context, "jsonp", "/jsonp", transport(new JsonpFormat(), web.poll(), origins));
        add(context, "iframe", "/iframe", transport(new IframeFormat(), web.iframe(), origins));
        add(context, "sse", "/sse", transport(new SseFormat(), web.sse(), origins));
        add(context, "publish", "/publish", new PublishServlet(hub, access, origins));
        add(context, "jsonpPublish", "/jsonp/publish", new JsonpPublishServlet(hub, access, origins, web.jsonpPublish()));
        add(context, "presence", "/presence", new PresenceServlet(hub, access, origins, jsonb));
        add(context, "health", "/health", new HealthServlet(hub, origins, jsonb));
        add(context, "metrics", "/metrics", new MetricsServlet(hub, admission, origins));
        // before the container's own WebSocket filter, so bad handshakes get a 400/403 with a reason
        context.addFilter("wsHandshake", new HandshakeFilter(hub, access, admission, origins,
                        ContainerTuning.of(context.getServerInfo())))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/ws");
        WebSocketSetup.register(context, hub, access, web.wsSettings(), web.wsBuffers(), closer);

        hub.start();
        timer.scheduleWithFixedDelay(hub::sweep, 1, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(heap::tick, 1, 1, TimeUnit.SECONDS);
        if (web.statsIntervalMillis() > 0) {
            timer.scheduleAtFixedRate(new StatsLog(hub), web.statsIntervalMillis(), web.statsIntervalMillis(),
                    TimeUnit.MILLISECONDS);
        }
        LOG.info(() -> "realtime-hub started: node " + settings.node() + ", relay " + relay.describe()
                + ", history " + settings.historySize() + " events/" + settings.historyAgeMillis() / 1000 + " s"
                + ", outbox " + settings.outboxSize() + ", origins " + (web.origins() == null ? "same-origin+localhost" : web.origins())
                + ", jsonp publish " + (web.jsonpPublish() ? "on" : "off") + ", " + access.settings().describe());
    }

    private TransportServlet transport(FrameFormat format, TransportServlet.Settings settings, Origins origins) {
        return new TransportServlet(hub, access, admission, format, settings, origins, timer);
    }

    private static void add(ServletContext context, String name, String path, Servlet servlet) {
        var registration = context.addServlet(name, servlet);
        registration.setAsyncSupported(true);
        registration.addMapping(path);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (hub == null) {
            return;
        }
        hub.stop(3000);
        if (relay instanceof ArtemisRelay) {
            ArtemisClient.releaseSharedThreads();
        }
        timer.shutdownNow();
        closer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            closer.awaitTermination(5, TimeUnit.SECONDS);
            for (Thread thread : threads) { // a terminated pool's last thread may still be exiting
                thread.join(1000);
            }
            jsonb.close();
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
        LOG.info(() -> "realtime-hub stopped: node " + hub.settings().node());
    }

    /** Daemon threads, listed while they run so that {@link #contextDestroyed} can see them end. */
    private java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(() -> {
                try {
                    runnable.run();
                } finally {
                    threads.remove(Thread.currentThread());
                }
            }, name);
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        };
    }
}
