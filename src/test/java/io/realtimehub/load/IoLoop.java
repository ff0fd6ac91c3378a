package io.realtimehub.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One I/O thread: a selector driving many {@link Subscriber}s without blocking. It opens them
 * at most {@code connect-concurrency} handshakes at a time, each from one of the local source
 * addresses in turn (so one address's ~28,000 ephemeral ports do not run out), reads what
 * arrives and hands it to the subscriber, and reconnects those whose connection failed when
 * their backoff is over. Only this thread touches its subscribers and {@link Stats}.
 */
final class IoLoop implements Runnable {
    private final Options options;
    private final Selector selector;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final InetSocketAddress remote;
    private final InetAddress[] sources;
    final Stats stats;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final byte[] bytes = new byte[256 * 1024];
    private final AtomicInteger liveCount;
    private final AtomicInteger failedCount;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Fault fault;
    private final PriorityQueue<Subscriber> retries =
            new PriorityQueue<>((a, b) -> Long.compare(a.retryDueNanos, b.retryDueNanos));
    private volatile Accepted accepted;
    private volatile boolean stopping;
    private int opened;
    private int handshaking;
    private long lastTick;
    private final Thread thread;

    IoLoop(Options options, List<Integer> indexes, InetSocketAddress remote, InetAddress[] sources,
           AtomicInteger liveCount, AtomicInteger failedCount, Fault fault, String name) throws IOException {
        this.options = options;
        this.fault = fault;
        this.remote = remote;
        this.sources = sources;
        this.liveCount = liveCount;
        this.failedCount = failedCount;
        this.selector = Selector.open();
        this.stats = new Stats(options.gapsCsv() != null);
        for (int index : indexes) {
            subscribers.add(new Subscriber(this, options, index));
        }
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Closes every connection (WebSocket ones with a close frame), has each subscriber account
     * for what it was owed ({@code accepted}) and waits for the thread to end.
     */
    void stop(Accepted accepted) throws InterruptedException {
        this.accepted = accepted;
        stopping = true;
        selector.wakeup();
        stopped.await();
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                openMore();
                selector.select(selectMillis());
                for (SelectionKey key : selector.selectedKeys()) {
                    Subscriber s = (Subscriber) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            s.onConnectable();
                        }
                        if (key.isValid() && key.isWritable()) {
                            s.onWritable();
                        }
                        if (key.isValid() && key.isReadable()) {
                            read(s, key);
                        }
                    } catch (IOException | RuntimeException e) {
                        s.onFailure(e);
                    }
                }
                selector.selectedKeys().clear();
                runRetries();
                tick();
            }
        } catch (IOException e) {
            e.printStackTrace();
        } finally {
            long faultMicros = fault.startMicros();
            long[][] owed = new long[options.groups()][];
            for (Subscriber s : subscribers) {
                if (s.isDown()) {
                    stats.down++;
                }
                s.shutdown();
                if (accepted != null) {
                    int g = s.group();
                    if (owed[g] == null) {
                        owed[g] = accepted.snapshot(g);
                    }
                    s.account(owed[g], faultMicros);
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            stopped.countDown();
        }
    }

    private void read(Subscriber s, SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        // All bytes of one read arrived at the same moment: one clock reading for them.
        long now = Clocks.micros();
        for (int rounds = 0; rounds < 4; rounds++) {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                s.onEof();
                return;
            }
            if (n == 0) {
                return;
            }
            readBuffer.flip();
            readBuffer.get(bytes, 0, n);
            s.onBytes(bytes, 0, n, now);
            if (n < readBuffer.capacity() || !key.isValid() || !s.isOpen()) {
                return;
            }
        }
    }

    /** Starts new connections while there is room for more handshakes. */
    private void openMore() {
        while (opened < subscribers.size() && handshaking < Math.max(1, options.connectConcurrency() / options.threads())) {
            Subscriber s = subscribers.get(opened++);
            handshaking++;
            try {
                s.connect();
            } catch (IOException | RuntimeException e) {
                s.onFailure(e);
            }
        }
    }

    /** Schedules {@code s}'s reconnect at {@code dueNanos}. */
    void retryLater(Subscriber s, long dueNanos) {
        s.retryDueNanos = dueNanos;
        retries.add(s);
    }

    private void runRetries() {
        long now = System.nanoTime();
        while (!retries.isEmpty() && retries.peek().retryDueNanos <= now && !stopping) {
            retries.poll().retry();
        }
    }

    private long selectMillis() {
        if (retries.isEmpty()) {
            return 100;
        }
        long wait = (retries.peek().retryDueNanos - System.nanoTime()) / 1_000_000;
        return Math.max(1, Math.min(100, wait));
    }

    Fault fault() {
        return fault;
    }

    /** Once a second: connect timeouts, pings. */
    private void tick() {
        long now = System.nanoTime();
        if (now - lastTick < 1_000_000_000L) {
            return;
        }
        lastTick = now;
        for (Subscriber s : subscribers) {
            try {
                s.tick(now);
            } catch (IOException | RuntimeException e) {
                s.onFailure(e);
            }
        }
    }

    SocketChannel open(int index) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (sources != null) {
            channel.bind(new InetSocketAddress(sources[index % sources.length], 0));
        }
        channel.connect(remote);
        return channel;
    }

    Selector selector() {
        return selector;
    }

    /** A handshake ended: live (welcome seen) or failed. */
    void handshakeDone(boolean live) {
        handshaking--;
        if (live) {
            stats.live++;
            liveCount.incrementAndGet();
        } else {
            stats.connectFailures++;
            failedCount.incrementAndGet();
        }
    }

    boolean stopping() {
        return stopping;
    }
}
