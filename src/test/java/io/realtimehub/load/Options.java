package io.realtimehub.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The load tool's command line: {@code --name value} pairs, each with a default. {@link #usage()} lists them. */
record Options(
        URI url,
        URI publishUrl,
        Transport transport,
        int subscribers,
        double rate,
        int size,
        int duration,
        String channel,
        int groups,
        int publishers,
        int processes,
        int sourceAddresses,
        int firstSourceAddress,
        int connectConcurrency,
        int connectTimeout,
        int pollTimeout,
        int drain,
        int hold,
        int ping,
        int threads,
        String json,
        String gapsCsv,
        String onReady,
        String label,
        double faultAt,
        String faultCmd,
        int recoveryGapMillis,
        boolean worker,
        int workerIndex,
        List<String> raw) {

    static Options parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> raw = new ArrayList<>(List.of(args));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + usage());
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("worker") || name.equals("help")) {
                value = "true";
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value\n" + usage());
                }
                value = args[++i];
            }
            values.put(name, value);
        }
        if (values.containsKey("help")) {
            throw new IllegalArgumentException(usage());
        }
        var get = new Getter(values);
        URI url = URI.create(withSlash(get.string("url", "http://127.0.0.1:8080/hub/")));
        int subscribers = get.integer("subscribers", 100, 0);
        double rate = get.decimal("rate", 100);
        int groups = get.integer("groups", 1, 1);
        int processes = get.integer("processes", Math.max(1, (int) Math.ceil(subscribers / 15_000.0)), 1);
        int perProcess = (int) Math.ceil(subscribers / (double) processes);
        var options = new Options(
                url,
                URI.create(withSlash(get.string("publish-url", url.toString()))),
                Transport.of(get.string("transport", "websocket")),
                subscribers,
                rate,
                get.integer("size", 16, 1),
                get.integer("duration", 30, 1),
                get.string("channel", "load-" + UUID.randomUUID().toString().substring(0, 8)),
                groups,
                // the hub limits each publisher (default 100/s, burst 200): stay well under it by default
                get.integer("publishers", Math.max(1, (int) Math.ceil(rate * groups / 50.0)), 1),
                processes,
                // ~28,000 ephemeral ports per source address; keep each address well under that
                get.integer("source-addresses", Math.max(1, (int) Math.ceil(perProcess / 20_000.0)), 1),
                get.integer("first-source-address", 1, 1),
                get.integer("connect-concurrency", 200, 1),
                get.integer("connect-timeout", 60, 1),
                get.integer("poll-timeout", 25, 0),
                get.integer("drain", 5, 0),
                get.integer("hold", 0, 0),
                get.integer("ping", 30, 0),
                get.integer("threads", 1, 1),
                get.string("json", null),
                get.string("gaps-csv", null),
                get.string("on-ready", null),
                get.string("label", null),
                get.decimalOrZero("fault-at"),
                get.string("fault-cmd", null),
                // an event later than this after the fault means "not receiving yet"; by default 2 s,
                // or 5 message intervals at low rates
                get.integer("recovery-gap", (int) Math.max(2000, 5 * 1000 * groups / rate), 1),
                get.bool("worker"),
                get.integer("worker-index", 0, 0),
                raw);
        get.rejectUnknown();
        if ((options.faultCmd == null) != (options.faultAt == 0)) {
            throw new IllegalArgumentException("--fault-at and --fault-cmd go together");
        }
        if (options.rate > 100_000) {
            throw new IllegalArgumentException("--rate above 100000/s is not supported");
        }
        return options;
    }

    /** Seconds after which the whole run is over, whatever happens (the watchdog's limit). */
    int hardLimitSeconds() {
        return connectTimeout + hold + duration + drain + 60 + (faultCmd == null ? 0 : Fault.COMMAND_LIMIT_SECONDS);
    }

    long recoveryGapMicros() {
        return recoveryGapMillis * 1000L;
    }

    String host() {
        return url.getHost();
    }

    int port() {
        return url.getPort() > 0 ? url.getPort() : 80;
    }

    /** The context path with a trailing slash, e.g. {@code /hub/}. */
    String path() {
        String path = url.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    String channelOf(int subscriber) {
        return groups == 1 ? channel : channel + "-" + (subscriber % groups);
    }

    static String usage() {
        return """
                usage: scripts/load [--name value]...   (all optional)
                  --transport websocket|poll|jsonp|iframe|sse   (websocket; xhr = poll)
                  --url URL             the hub, e.g. http://127.0.0.1:8080/hub/ (default)
                  --publish-url URL     where to POST /publish (default: --url)
                  --subscribers N       subscribers to open (100)
                  --rate R              messages per second, all publishers together (100)
                  --size S              characters of text in each message (16)
                  --duration D          seconds of publishing (30)
                  --drain S             seconds to wait for the last deliveries (5)
                  --hold S              seconds to hold the idle connections before publishing (0)
                  --channel NAME        channel (default load-RANDOM)
                  --groups G            spread subscribers over G channels NAME-0..; each message goes to all G (1)
                  --publishers P        publishers (anonymous: no client id), each sending rate/P per second (ceil(rate*groups/50))
                  --processes K         subscriber processes (ceil(N/15000); each holds N/K connections)
                  --source-addresses A  local addresses 127.0.0.x per process for the connections (ceil(N/K/20000))
                  --connect-concurrency C   handshakes in flight at once (200)
                  --connect-timeout S   seconds for all subscribers to connect (60)
                  --poll-timeout S      long-poll timeout parameter (25)
                  --ping S              WebSocket ping every S seconds to stay under idle timeouts (30; 0 off)
                  --threads T           I/O threads per process (1)
                  --json FILE           also write the result as JSON to FILE
                  --gaps-csv FILE       per message: average time between messages and latency (ms)
                  --on-ready CMD        run `bash -c CMD` once everyone is connected; its output goes in the report
                  --label TEXT          a name for this run in the report
                  --fault-at S          run --fault-cmd once, S seconds after publishing began (e.g. 7.5)
                  --fault-cmd CMD       `bash -c CMD`, e.g. 'kill -9 $(cat target/run/node-1.pid)'; the report
                                        adds how long after it each subscriber was receiving again
                  --recovery-gap MS     after the fault, a subscriber is receiving again once events reach
                                        it within MS (max(2000, 5 message intervals))
                Subscribers reconnect as hub.js does (client id and key, since = last event id, backoff
                500 ms doubling to 10 s); only publishes answered 202 count as owed.
                """;
    }

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }

    /** Typed reads that remember which names were used, so a misspelt option fails instead of being ignored. */
    private static final class Getter {
        private final Map<String, String> values;
        private final List<String> known = new ArrayList<>();

        Getter(Map<String, String> values) {
            this.values = values;
        }

        String string(String name, String fallback) {
            known.add(name);
            String value = values.get(name);
            return value == null ? fallback : value;
        }

        int integer(String name, int fallback, int min) {
            String value = string(name, null);
            if (value == null) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min) {
                    throw new IllegalArgumentException("--" + name + " must be at least " + min);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + value + "'");
            }
        }

        double decimal(String name, double fallback) {
            String value = string(name, null);
            if (value == null) {
                return fallback;
            }
            try {
                double parsed = Double.parseDouble(value);
                if (!(parsed > 0)) {
                    throw new IllegalArgumentException("--" + name + " must be positive");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number, was '" + value + "'");
            }
        }

        double decimalOrZero(String name) {
            String value = string(name, null);
            return value == null ? 0 : decimal(name, 0);
        }

        boolean bool(String name) {
            return Boolean.parseBoolean(string(name, "false"));
        }

        void rejectUnknown() {
            for (String name : values.keySet()) {
                if (!known.contains(name) && !name.equals("help")) {
                    throw new IllegalArgumentException("unknown option --" + name + "\n" + usage());
                }
            }
        }
    }

    /** The subscribing transports, by their wire names. */
    enum Transport {
        WEBSOCKET("websocket"), POLL("poll"), JSONP("jsonp"), IFRAME("iframe"), SSE("sse");

        final String wire;

        Transport(String wire) {
            this.wire = wire;
        }

        boolean polling() {
            return this == POLL || this == JSONP;
        }

        static Transport of(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("xhr") || n.equals("long-poll") || n.equals("longpoll")) {
                return POLL;
            }
            if (n.equals("ws")) {
                return WEBSOCKET;
            }
            for (Transport t : values()) {
                if (t.wire.equals(n)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("--transport must be websocket, poll, jsonp, iframe or sse, was '" + name + "'");
        }
    }
}
