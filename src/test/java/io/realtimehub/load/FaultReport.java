package io.realtimehub.load;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The fault benchmark's table: one row per load-tool JSON result (a fault on a transport), as
 * Markdown (for docs/BENCHMARKS.md) and as one JSON array.
 * {@code java ... FaultReport OUT.md OUT.json RESULT.json...}; exit status 3 if a row is not clean.
 */
public final class FaultReport {
    private FaultReport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: FaultReport OUT.md OUT.json RESULT.json...");
            System.exit(2);
        }
        var md = new StringBuilder();
        md.append("| fault | transport | subscribers x events/s | accepted (202) | refused | lost | duplicated | reordered "
                + "| latency p99 ms | fault took s | publishes refused for s | recovery p99 / max s | clean |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        JsonArrayBuilder rows = Json.createArrayBuilder();
        boolean allClean = true;
        for (int i = 2; i < args.length; i++) {
            JsonObject r;
            try (var reader = Json.createReader(new StringReader(Files.readString(Path.of(args[i]))))) {
                r = reader.readObject();
            }
            String label = r.isNull("label") ? args[i] : r.getString("label");
            String fault = label.startsWith("faults ") ? label.split(" ")[1] : label;
            JsonObject f = r.get("fault") instanceof JsonObject o ? o : null;
            JsonObject recovery = f == null ? null : f.getJsonObject("recoverySeconds");
            boolean clean = r.getBoolean("clean");
            allClean &= clean;
            long unrecovered = f == null ? 0 : f.getJsonNumber("unrecovered").longValue();
            String recoveryText = f == null ? "-" : String.format(Locale.ROOT, "%.2f / %s", num(recovery, "p99"),
                    unrecovered > 0 ? "never (" + unrecovered + ")" : String.format(Locale.ROOT, "%.2f", num(recovery, "max")));
            md.append(String.format(Locale.ROOT, "| %s | %s | %d x %.0f | %d | %d%s | %d | %d | %d | %.0f | %s | %s | %s | %s |%n",
                    fault, r.getString("transport"), r.getInt("subscribers"), num(r, "rate"),
                    r.getJsonNumber("published").longValue(), r.getJsonNumber("publishFailures").longValue(),
                    failures(r), r.getJsonNumber("lost").longValue(), r.getJsonNumber("duplicates").longValue(),
                    r.getJsonNumber("outOfOrder").longValue(), num(r.getJsonObject("latencyMs"), "p99"),
                    f == null ? "-" : String.format(Locale.ROOT, "%.1f", num(f, "durationSeconds")),
                    f == null || Double.isNaN(num(f, "refusedSeconds")) ? "-" : String.format(Locale.ROOT, "%.1f%s",
                            num(f, "refusedSeconds"), f.getBoolean("refusedToEnd", false) ? " (to the end)" : ""),
                    recoveryText,
                    clean ? "yes" : "**no**"));
            rows.add(Json.createObjectBuilder()
                    .add("fault", fault)
                    .add("transport", r.getString("transport"))
                    .add("subscribers", r.getInt("subscribers"))
                    .add("rate", value(num(r, "rate")))
                    .add("accepted", r.getJsonNumber("published").longValue())
                    .add("refused", r.getJsonNumber("publishFailures").longValue())
                    .add("refusedBy", r.get("publishFailuresBy"))
                    .add("expected", r.getJsonNumber("expected").longValue())
                    .add("lost", r.getJsonNumber("lost").longValue())
                    .add("duplicated", r.getJsonNumber("duplicates").longValue())
                    .add("reordered", r.getJsonNumber("outOfOrder").longValue())
                    .add("deliveredNotAccepted", r.getJsonNumber("unaccepted").longValue())
                    .add("latencyP99Ms", value(num(r.getJsonObject("latencyMs"), "p99")))
                    .add("recoveryP99Seconds", recovery == null ? JsonValue.NULL : value(num(recovery, "p99")))
                    .add("recoveryMaxSeconds", recovery == null ? JsonValue.NULL : value(num(recovery, "max")))
                    .add("unrecovered", unrecovered)
                    .add("faultAtSeconds", f == null ? JsonValue.NULL : value(num(f, "atSeconds")))
                    .add("faultDurationSeconds", f == null ? JsonValue.NULL : value(num(f, "durationSeconds")))
                    .add("refusedSeconds", f == null ? JsonValue.NULL : value(num(f, "refusedSeconds")))
                    .add("refusedToEnd", f != null && f.getBoolean("refusedToEnd", false))
                    .add("acceptedAfterFault", f == null || f.getJsonNumber("acceptedAfter") == null ? JsonValue.NULL
                            : Json.createValue(f.getJsonNumber("acceptedAfter").longValue()))
                    .add("dropped", r.getJsonNumber("dropped").longValue())
                    .add("reconnects", r.getJsonNumber("reconnects").longValue())
                    .add("clean", clean)
                    .add("result", Path.of(args[i]).getFileName().toString()));
        }
        Files.writeString(Path.of(args[0]), md.toString());
        Files.writeString(Path.of(args[1]), rows.build().toString() + "\n");
        System.out.print(md);
        System.exit(allClean ? 0 : 3);
    }

    /** A number, or null where the result did not have it (NaN: from an older load tool). */
    private static JsonValue value(double d) {
        return Double.isNaN(d) ? JsonValue.NULL : Json.createValue(d);
    }

    private static double num(JsonObject o, String name) {
        JsonNumber n = o.getJsonNumber(name);
        return n == null ? Double.NaN : n.doubleValue();
    }

    /** " (503 x12)" from publishFailuresBy. */
    private static String failures(JsonObject r) {
        if (!(r.get("publishFailuresBy") instanceof JsonObject by) || by.isEmpty()) {
            return "";
        }
        var out = new StringBuilder(" (");
        by.forEach((k, v) -> out.append(out.length() > 2 ? ", " : "").append(k).append(" x").append(v));
        return out.append(')').toString();
    }
}
