package io.realtimehub.cluster;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the {@link Cluster} once for the whole test run (the root context's store closes it
 * when the run ends, after the last cluster test class).
 */
final class ClusterExtension implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);
    private static volatile Cluster current;

    @Override
    public void beforeAll(ExtensionContext context) {
        current = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Cluster.class, key -> Cluster.start(), Cluster.class);
    }

    static Cluster cluster() {
        if (current == null) {
            throw new IllegalStateException("the cluster is not started: annotate the test with @ExtendWith(ClusterExtension.class)");
        }
        return current;
    }
}
