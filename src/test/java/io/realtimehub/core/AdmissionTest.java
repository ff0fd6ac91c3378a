package io.realtimehub.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionTest {
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicBoolean heapShort = new AtomicBoolean();
    private final Admission admission = new Admission(3, 7, clients::get, heapShort::get);

    @Test
    void admitsNewClientsUpToTheBudgetThenRefusesWith503AndRetryAfter() {
        clients.set(2);
        assertDoesNotThrow(() -> admission.admit(false));
        clients.set(3);
        Rejection refused = assertThrows(Rejection.class, () -> admission.admit(false));
        assertEquals(Rejection.Code.UNAVAILABLE, refused.code());
        assertEquals(503, refused.code().httpStatus);
        assertEquals(7, refused.retryAfterSeconds());
        assertTrue(refused.getMessage().contains("full"), refused.getMessage());
        assertEquals(1, admission.refused(Admission.Reason.CLIENTS));
        assertEquals(0, admission.refused(Admission.Reason.HEAP));
    }

    @Test
    void aClientTheNodeKnowsIsAlwaysAdmitted() {
        clients.set(10);
        heapShort.set(true);
        assertDoesNotThrow(() -> admission.admit(true));
        assertEquals(0, admission.refused(Admission.Reason.CLIENTS) + admission.refused(Admission.Reason.HEAP));
    }

    @Test
    void refusesNewClientsWhileTheHeapIsShortAndAdmitsThemOnceItRecovered() {
        heapShort.set(true);
        Rejection refused = assertThrows(Rejection.class, () -> admission.admit(false));
        assertEquals(7, refused.retryAfterSeconds());
        assertEquals(Admission.Reason.HEAP, admission.refusal());
        heapShort.set(false);
        assertNull(admission.refusal());
        assertDoesNotThrow(() -> admission.admit(false));
        assertEquals(1, admission.refused(Admission.Reason.HEAP));
    }

    @Test
    void theBudgetIsCheckedBeforeTheHeapAndZeroMeansNoBudget() {
        clients.set(3);
        heapShort.set(true);
        assertEquals(Admission.Reason.CLIENTS, admission.refusal());
        var unbudgeted = new Admission(0, 1, () -> 1_000_000, () -> false);
        assertNull(unbudgeted.refusal());
    }

    @Test
    void countsRefusalsByReasonInPrometheusText() {
        clients.set(3);
        assertThrows(Rejection.class, () -> admission.admit(false));
        assertThrows(Rejection.class, () -> admission.admit(false));
        clients.set(0);
        heapShort.set(true);
        assertThrows(Rejection.class, () -> admission.admit(false));
        var out = new StringBuilder();
        admission.writePrometheus(out);
        String text = out.toString();
        assertTrue(text.contains("hub_connections_refused_total{reason=\"clients\"} 2\n"), text);
        assertTrue(text.contains("hub_connections_refused_total{reason=\"heap\"} 1\n"), text);
        assertTrue(text.contains("hub_admission_max_clients 3\n"), text);
        assertTrue(text.contains("hub_admission_heap_short 1\n"), text);
    }

    @Test
    void otherRejectionsCarryNoRetryAfter() {
        assertEquals(0, Rejection.unavailable("relay down").retryAfterSeconds());
        assertEquals(1, Rejection.full("full", 0).retryAfterSeconds());
    }
}
