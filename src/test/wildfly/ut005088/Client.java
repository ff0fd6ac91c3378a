import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * run.sh's client: N requests to PATH on 127.0.0.1:PORT; each reads the first line (poll: nothing) and closes
 * its connection. With a fourth argument h2: over HTTP/2 (java.net.http, h2c upgrade), one client, and each
 * request's body closed after its first line (the stream reset, the connection kept).
 */
public class Client {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        int n = Integer.parseInt(args[2]);
        boolean read = !path.contains("write=poll");
        if (args.length > 3 && args[3].equals("h2")) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            for (int i = 0; i < n; i++) {
                HttpResponse<InputStream> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    in.read(); // the first bytes, then the body is closed: the stream is reset
                }
                if (i == 0) {
                    System.out.println("  (" + response.version() + ")");
                }
            }
            Thread.sleep(1500);
            return;
        }
        for (int i = 0; i < n; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (read) {
                    InputStream in = socket.getInputStream();
                    StringBuilder got = new StringBuilder();
                    byte[] buffer = new byte[4096];
                    while (got.indexOf("data") < 0) {
                        int r = in.read(buffer);
                        if (r < 0) {
                            throw new IllegalStateException("closed before the first line: " + got);
                        }
                        got.append(new String(buffer, 0, r, StandardCharsets.US_ASCII));
                    }
                } else {
                    Thread.sleep(100); // gone before the answer
                }
            }
        }
        Thread.sleep(1500); // the server notices on its next write
    }
}
