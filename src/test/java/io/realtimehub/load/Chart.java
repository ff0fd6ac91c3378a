package io.realtimehub.load;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws one line per CSV written by {@code --gaps-csv} (one per transport): a column's value per
 * message index, as a PNG, with java.awt in headless mode. Each line is smoothed over a window of
 * 20 messages so that five transports stay readable; the legend gives each one's overall mean.
 *
 * <pre>java -Djava.awt.headless=true -cp target/test-classes io.realtimehub.load.Chart OUT.png TITLE COLUMN A.csv B.csv ...</pre>
 */
public final class Chart {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 220;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final int WINDOW = 20;

    private Chart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: Chart OUT.png TITLE COLUMN FILE.csv...");
            System.exit(2);
        }
        List<Series> series = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            series.add(Series.read(Path.of(args[i]), args[2]));
        }
        draw(Path.of(args[0]), args[1], args[2], series);
    }

    record Series(String name, double[] x, double[] y, double mean) {
        static Series read(Path csv, String column) throws IOException {
            List<String> lines = Files.readAllLines(csv);
            String[] header = lines.get(0).split(",");
            int col = List.of(header).indexOf(column);
            if (col < 0) {
                throw new IllegalArgumentException(csv + " has no column " + column);
            }
            List<double[]> points = new ArrayList<>();
            double sum = 0;
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                if (cells.length <= col || cells[col].isEmpty()) {
                    continue;
                }
                double v = Double.parseDouble(cells[col]);
                points.add(new double[] {Double.parseDouble(cells[0]), v});
                sum += v;
            }
            double[] x = new double[points.size()];
            double[] y = new double[points.size()];
            double window = 0;
            for (int i = 0; i < points.size(); i++) {
                window += points.get(i)[1];
                if (i >= WINDOW) {
                    window -= points.get(i - WINDOW)[1];
                }
                x[i] = points.get(i)[0];
                y[i] = window / Math.min(i + 1, WINDOW);
            }
            String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
            return new Series(name, x, y, points.isEmpty() ? 0 : sum / points.size());
        }
    }

    static void draw(Path out, String title, String column, List<Series> series) throws IOException {
        var image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double maxX = 1;
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                maxX = Math.max(maxX, s.x[i]);
                maxY = Math.max(maxY, s.y[i]);
            }
        }
        maxY = niceCeiling(maxY * 1.05);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotH - plotH * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.2f", maxY * i / 5), 10, y + 4);
            int x = LEFT + plotW * i / 5;
            g.drawString(String.format(Locale.ROOT, "%.0f", maxX * i / 5), x - 10, TOP + plotH + 18);
        }
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("message (iteration)", LEFT + plotW / 2 - 50, HEIGHT - 20);
        g.drawString(column.replace('_', ' ') + " (" + WINDOW + "-message moving average)", LEFT, TOP - 6);

        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(COLORS[k % COLORS.length]);
            g.setStroke(new BasicStroke(1.6f));
            for (int i = 1; i < s.x.length; i++) {
                g.drawLine(px(s.x[i - 1], maxX, plotW), py(s.y[i - 1], maxY, plotH),
                        px(s.x[i], maxX, plotW), py(s.y[i], maxY, plotH));
            }
            int ly = TOP + 20 + k * 22;
            g.fillRect(LEFT + plotW + 15, ly - 9, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%s  mean %.2f ms", s.name, s.mean), LEFT + plotW + 40, ly - 3);
        }
        g.dispose();
        Files.createDirectories(out.toAbsolutePath().getParent());
        ImageIO.write(image, "png", out.toFile());
    }

    private static int px(double x, double maxX, int plotW) {
        return LEFT + (int) Math.round(x / maxX * plotW);
    }

    private static int py(double y, double maxY, int plotH) {
        return TOP + plotH - (int) Math.round(Math.min(y, maxY) / maxY * plotH);
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
