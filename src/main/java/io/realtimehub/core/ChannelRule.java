package io.realtimehub.core;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which channels an identity may subscribe to or publish on: channel names where {@code *}
 * matches any run of characters ({@code *}, {@code room.*}) and {@code {sub}} stands for the
 * identity's own client id ({@code user.{sub}}). No pattern allows nothing.
 */
public final class ChannelRule {
    public static final ChannelRule ALL = new ChannelRule(List.of("*"));
    public static final ChannelRule NONE = new ChannelRule(List.of());

    private final List<String> patterns;
    private final Pattern regex;

    private ChannelRule(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.regex = patterns.isEmpty() ? null : Pattern.compile(String.join("|", patterns.stream()
                .map(ChannelRule::toRegex).toList()));
    }

    /** The rule of {@code patterns} for the identity {@code client} (which replaces {@code {sub}}). */
    public static ChannelRule of(List<String> patterns, String client) {
        if (patterns.isEmpty()) {
            return NONE;
        }
        if (patterns.contains("*")) {
            return ALL;
        }
        return new ChannelRule(patterns.stream().map(p -> client == null ? p : p.replace("{sub}", client)).toList());
    }

    /** Comma-separated patterns, as the configuration gives them; blank means none. */
    public static List<String> parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public boolean allows(String channel) {
        return this == ALL || (regex != null && channel != null && regex.matcher(channel).matches());
    }

    public List<String> patterns() {
        return patterns;
    }

    private static String toRegex(String pattern) {
        StringBuilder out = new StringBuilder("(?:");
        for (String part : pattern.split("\\*", -1)) {
            if (out.length() > 3) {
                out.append(".*");
            }
            out.append(Pattern.quote(part));
        }
        return out.append(')').toString();
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
