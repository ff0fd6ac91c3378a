import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** run.sh's client: N requests to PATH on 127.0.0.1:PORT; each reads the first line (poll: nothing) and closes. */
public class Client {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        int n = Integer.parseInt(args[2]);
        boolean read = !path.contains("write=poll");
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
