package io.realtimehub.transport.websocket;

import io.realtimehub.core.Event;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends a text frame of events. JSR 356 only takes text as a {@code String}, which the container
 * encodes to UTF-8 again for every subscriber, in parts of its encoder buffer (Tomcat: one socket
 * write and one container dispatch per 512 or 1,024 bytes). On Tomcat the frame goes instead as
 * the event's UTF-8 bytes, encoded once per node ({@link Event#utf8()}), as one message part:
 * exactly what Tomcat's own {@code sendText} does after encoding (text state, one whole message,
 * the state completed before the caller's handler runs), found by reflection once. Elsewhere, or
 * if Tomcat's internals differ, the standard {@code sendText}.
 */
abstract class TextSender {
    private static final Logger LOG = Logger.getLogger(TextSender.class.getName());
    private static final byte OPCODE_TEXT = 1;

    private static final TextSender STANDARD = new Standard();
    private static volatile TextSender tomcat; // found on first use, for the container's classes
    private static volatile Class<?> tomcatRemote;

    /** Starts sending {@code batch} (one event: itself; several: a JSON array) as one text frame. */
    abstract void send(RemoteEndpoint.Async remote, List<Event> batch, SendHandler done);

    /** The sender for {@code remote}: Tomcat's bytes when it is Tomcat's, else the standard one. */
    static TextSender of(RemoteEndpoint.Async remote) {
        if (!remote.getClass().getName().startsWith("org.apache.tomcat.websocket.")) {
            return STANDARD;
        }
        TextSender found = tomcat;
        if (found == null) {
            synchronized (TextSender.class) {
                if (tomcat == null) {
                    tomcat = Tomcat.find(remote.getClass()); // sets tomcatRemote first
                }
                found = tomcat;
            }
        }
        return found != STANDARD && tomcatRemote.isInstance(remote) ? found : STANDARD;
    }

    /** One event as itself; several as {@code [e1,e2,...]}, from each event's JSON encoded once per node. */
    static String frame(List<Event> batch) {
        if (batch.size() == 1) {
            return batch.get(0).json();
        }
        int length = batch.size() + 1;
        for (Event event : batch) {
            length += event.json().length();
        }
        var frame = new StringBuilder(length).append('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                frame.append(',');
            }
            frame.append(batch.get(i).json());
        }
        return frame.append(']').toString();
    }

    /** {@link #frame} as UTF-8: one event's shared bytes, or the array copied together from them. */
    static ByteBuffer frameBytes(List<Event> batch) {
        if (batch.size() == 1) {
            return ByteBuffer.wrap(batch.get(0).utf8()); // a view of its own: Tomcat moves its position
        }
        int length = batch.size() + 1;
        for (Event event : batch) {
            length += event.utf8().length;
        }
        byte[] frame = new byte[length];
        frame[0] = '[';
        int at = 1;
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                frame[at++] = ',';
            }
            byte[] bytes = batch.get(i).utf8();
            System.arraycopy(bytes, 0, frame, at, bytes.length);
            at += bytes.length;
        }
        frame[at] = ']';
        return ByteBuffer.wrap(frame);
    }

    private static final class Standard extends TextSender {
        @Override
        void send(RemoteEndpoint.Async remote, List<Event> batch, SendHandler done) {
            remote.sendText(frame(batch), done);
        }
    }

    /** Tomcat 10.1/11: {@code base.stateMachine.textStart(); base.startMessage(TEXT, bytes, true, new StateUpdateSendHandler(done, base.stateMachine))}. */
    private static final class Tomcat extends TextSender {
        private final MethodHandle base;
        private final MethodHandle stateMachine;
        private final MethodHandle textStart;
        private final MethodHandle updater;
        private final MethodHandle startMessage;

        private Tomcat(MethodHandle base, MethodHandle stateMachine, MethodHandle textStart, MethodHandle updater,
                       MethodHandle startMessage) {
            this.base = base;
            this.stateMachine = stateMachine;
            this.textStart = textStart;
            this.updater = updater;
            this.startMessage = startMessage;
        }

        static TextSender find(Class<?> remoteClass) {
            try {
                ClassLoader loader = remoteClass.getClassLoader();
                Class<?> remoteBase = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointBase", false, loader);
                Class<?> impl = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase", false, loader);
                Class<?> machine = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase$StateMachine", false, loader);
                Class<?> update = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase$StateUpdateSendHandler", false, loader);
                Field baseField = remoteBase.getDeclaredField("base");
                Field machineField = impl.getDeclaredField("stateMachine");
                Method textStartMethod = machine.getDeclaredMethod("textStart");
                Constructor<?> updateConstructor = update.getDeclaredConstructor(SendHandler.class, machine);
                Method start = impl.getDeclaredMethod("startMessage", byte.class, ByteBuffer.class, boolean.class, SendHandler.class);
                for (var member : new java.lang.reflect.AccessibleObject[]{baseField, machineField, textStartMethod,
                        updateConstructor, start}) {
                    member.setAccessible(true);
                }
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                var sender = new Tomcat(
                        lookup.unreflectGetter(baseField).asType(MethodType.methodType(Object.class, Object.class)),
                        lookup.unreflectGetter(machineField).asType(MethodType.methodType(Object.class, Object.class)),
                        lookup.unreflect(textStartMethod).asType(MethodType.methodType(void.class, Object.class)),
                        lookup.unreflectConstructor(updateConstructor)
                                .asType(MethodType.methodType(SendHandler.class, SendHandler.class, Object.class)),
                        lookup.unreflect(start).asType(MethodType.methodType(void.class, Object.class, byte.class,
                                ByteBuffer.class, boolean.class, SendHandler.class)));
                tomcatRemote = remoteBase;
                LOG.info("WebSocket text frames go as UTF-8 encoded once per node (Tomcat's message writer)");
                return sender;
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.INFO, "Tomcat's WebSocket message writer not found: text frames are encoded per "
                        + "subscriber by sendText", e);
                tomcatRemote = Void.class;
                return STANDARD;
            }
        }

        @Override
        void send(RemoteEndpoint.Async remote, List<Event> batch, SendHandler done) {
            try {
                Object impl = base.invokeExact((Object) remote);
                Object machine = stateMachine.invokeExact(impl);
                textStart.invokeExact(machine); // throws IllegalStateException while a message is in progress, as sendText does
                SendHandler update = (SendHandler) updater.invokeExact(done, machine);
                startMessage.invokeExact(impl, OPCODE_TEXT, frameBytes(batch), true, update);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
