package io.realtimehub.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * One headless Chromium driven by the OS's chromedriver, showing one page of the demo, and what
 * that page shows: connection state, participants, markers. One browser per page, not one tab
 * per page: a browser holds at most 6 HTTP/1.1 connections per host, which a few long-polls and
 * streams in tabs of one browser would exhaust.
 */
public final class Browser implements AutoCloseable {
    /** Debian's packages (installed by {@code ./hub test}); override with -Dbrowser.binary / -Dbrowser.driver. */
    static final String BINARY = System.getProperty("browser.binary", "/usr/bin/chromium");
    static final String DRIVER = System.getProperty("browser.driver", "/usr/bin/chromedriver");
    /** Every wait on a page condition is bounded by this. */
    static final Duration WAIT = Duration.ofSeconds(15);
    /** The page size of a browser from {@link #start()}. */
    public static final int WIDTH = 1280;
    public static final int HEIGHT = 800;
    /**
     * Selenium warns on every start that it has no CDP module for this Chromium: these tests use
     * WebDriver only, never CDP. Held here so the setting is not garbage-collected with the logger.
     */
    private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_LOG.setLevel(Level.SEVERE);
    }

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private Browser(int width, int height) {
        for (String file : List.of(BINARY, DRIVER)) {
            if (!Files.isExecutable(Path.of(file))) {
                throw new IllegalStateException(file + " is missing: install Chromium and its driver"
                        + " (./hub test does; or apt-get install -y chromium chromium-driver)");
            }
        }
        try {
            profile = Files.createTempDirectory("hub-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // An explicit driver: Selenium Manager stays out of it, and so does the network.
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream()) // its log is noise unless the driver itself breaks
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--force-device-scale-factor=1",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--lang=en-US", "--hide-scrollbars",
                // Several browsers run at once and none is "in front": keep their timers at full speed.
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile();
            throw e;
        }
        viewport(width, height);
    }

    /** A browser whose pages get {@link #WIDTH} x {@link #HEIGHT} CSS pixels. */
    public static Browser start() {
        return new Browser(WIDTH, HEIGHT);
    }

    /** A browser whose pages get {@code width} x {@code height} CSS pixels (the screenshot size). */
    public static Browser start(int width, int height) {
        return new Browser(width, height);
    }

    /** Sizes the window so that pages get {@code width} x {@code height} CSS pixels. */
    public Browser viewport(int width, int height) {
        // The window size is the outer size: measure what the page gets and make up the difference.
        driver.manage().window().setSize(new Dimension(width, height));
        List<?> inner = (List<?>) js("return [window.innerWidth, window.innerHeight]");
        int dw = width - ((Number) inner.get(0)).intValue();
        int dh = height - ((Number) inner.get(1)).intValue();
        if (dw != 0 || dh != 0) {
            driver.manage().window().setSize(new Dimension(width + dw, height + dh));
        }
        return this;
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Loads the demo at {@code base} (ending in /hub/) with these query parameters (name, value, ...). */
    public Browser open(URI base, String... params) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i + 1 < params.length; i += 2) {
            query.append(query.length() == 0 ? '?' : '&')
                    .append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        driver.get(base.resolve("index.html") + query.toString());
        return this;
    }

    /** Leaves the page (its `pagehide` closes the client, so the others see it leave). */
    public void leave() {
        try {
            driver.get("about:blank");
        } catch (WebDriverException e) {
            // a dead browser is reported by the test that used it
        }
    }

    /** Runs {@code script} in the page; a returned Promise is awaited (WebDriver does). */
    public Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Waits until {@code condition} gives something other than null or false; fails describing the page. */
    public <T> T until(String what, Function<Browser, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT, Duration.ofMillis(100))
                    .ignoring(JavascriptException.class)
                    .ignoring(StaleElementReferenceException.class)
                    .until(d -> condition.apply(this));
        } catch (TimeoutException e) {
            throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what + "\n" + describe(), e);
        }
    }

    /** Waits until the demo's #status says {@code open}; returns the client's state. */
    public Map<String, Object> awaitOpen() {
        until("the page's connection is open", b -> "open".equals(b.js(
                "return document.getElementById('status').getAttribute('data-status')")));
        return state();
    }

    /** {status, id, node, transport, reconnects, lastId} of the page's hub.js client. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> state() {
        return (Map<String, Object>) js("const c = demo.client; return c && {status: c.status, id: c.id,"
                + " node: c.node, transport: c.transport, reconnects: c.reconnects, lastId: c.lastId};");
    }

    public String clientId() {
        return (String) js("return demo.client && demo.client.id");
    }

    /** The text of an element, as a user sees it (empty when hidden). */
    public String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /**
     * What #participants shows about {@code client}: its data-* attributes plus {@code label} (the
     * name as shown) and {@code markerLabel} (the text by its dot on the map); null when absent.
     */
    @SuppressWarnings("unchecked")
    public Map<String, String> participant(String client) {
        return (Map<String, String>) js("const li = [...document.querySelectorAll('#participants > li')]"
                + "  .find((e) => e.getAttribute('data-client') === arguments[0]);"
                + "if (!li) return null;"
                + "const out = Object.assign({}, li.dataset);"
                + "out.label = li.querySelector('strong').textContent;"
                + "const m = [...document.querySelectorAll('#map [data-marker]')]"
                + "  .find((e) => e.getAttribute('data-marker') === arguments[0]);"
                + "if (m) out.markerLabel = m.querySelector('.label').textContent;"
                + "return out;", client);
    }

    /** Waits until the participant {@code client} is listed and {@code match} holds for what is shown. */
    public Map<String, String> awaitParticipant(String client, String what, Function<Map<String, String>, Boolean> match) {
        return until("participant " + client + " " + what, b -> {
            Map<String, String> p = b.participant(client);
            return p != null && match.apply(p) ? p : null;
        });
    }

    /**
     * Stops the page's simulated walk and shares {@code lat}, {@code lng} now, so the position the
     * others see is the one the test chose (the demo walks only while its source is "simulated",
     * and shares the current position every 2 s). Returns the id of the published event.
     */
    public String moveTo(double lat, double lng) {
        Object id = js("demo.position.source = 'test'; demo.position.lat = arguments[0];"
                + " demo.position.lng = arguments[1]; return demo.share();", lat, lng);
        if (id == null) {
            throw new AssertionError("the page could not publish its position\n" + describe());
        }
        return (String) id;
    }

    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's console messages at level WARNING and above since the last call. */
    public List<String> consoleProblems() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                    .map(LogEntry::toString).toList();
        } catch (WebDriverException e) {
            return List.of("(no console log: " + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** The page's state and console, for failure messages. */
    public String describe() {
        String page;
        try {
            page = String.valueOf(js("const c = window.demo && demo.client;"
                    + "return JSON.stringify({url: location.href, status: c && c.status, id: c && c.id,"
                    + " transport: c && c.transport, node: c && c.node, reconnects: c && c.reconnects,"
                    + " participants: [...document.querySelectorAll('#participants > li')].map((li) => Object.assign({}, li.dataset)),"
                    + " activity: [...document.querySelectorAll('#activity > li')].slice(0, 12).map((li) => li.textContent)}, null, 1);"));
        } catch (WebDriverException e) {
            page = "(page unreadable: " + e.getMessage().lines().findFirst().orElse("") + ")";
        }
        return "page: " + page + "\nconsole: " + consoleProblems();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (WebDriverException e) {
            // already gone
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
