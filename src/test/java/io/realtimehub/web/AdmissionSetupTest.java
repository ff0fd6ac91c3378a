package io.realtimehub.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionSetupTest {
    private static final long MB = 1 << 20;

    @Test
    void theConnectorLimitLessRoomForEverythingElseWhenTheHeapHoldsMore() {
        var budget = AdmissionSetup.derive(20_000, 1024 * MB, 80, AdmissionSetup.bytesPerClient(512));
        assertEquals(19_500, budget.maxClients());
        assertTrue(budget.derivedFrom().contains("maxConnections"), budget.derivedFrom());
    }

    @Test
    void theHeapWhenItHoldsFewerThanTheConnector() {
        // Tomcat's default 8 KiB WebSocket buffers in a 512 MB heap
        var budget = AdmissionSetup.derive(20_000, 512 * MB, 80, AdmissionSetup.bytesPerClient(8192));
        assertEquals((512 * MB / 100 * 80 - 64 * MB) / (8 * 1024 + 5 * 8192), budget.maxClients());
        assertTrue(budget.maxClients() < 10_000, "" + budget.maxClients());
        assertTrue(budget.derivedFrom().contains("heap"), budget.derivedFrom());
    }

    @Test
    void noConnectorKnownMeansTheHeapAloneAndNothingKnownMeansNoBudget() {
        assertEquals(AdmissionSetup.derive(-1, 1024 * MB, 80, 10_240).maxClients(), (1024 * MB / 100 * 80 - 64 * MB) / 10_240);
        assertEquals(0, AdmissionSetup.derive(-1, -1, 80, 10_240).maxClients());
        assertEquals(8192 - 204, AdmissionSetup.derive(8192, -1, 80, 10_240).maxClients());
    }
}
