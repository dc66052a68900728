package dev.softswitch.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -Djava.awt.headless=true -cp benchmarks.jar dev.softswitch.bench.report.Chart KIND OUT.png TITLE XLABEL
 * YLABEL DATA.tsv [log]}: a PNG chart of a tab-separated table whose first row names the series.
 *
 * <ul>
 *   <li>{@code line}: the first column is a number (x), each further column a series drawn as a line with markers;
 *       {@code log} makes the y axis logarithmic.
 *   <li>{@code bars}: the first column is a category label, each further column a series drawn as grouped bars.
 * </ul>
 *
 * Empty cells, {@code -} and {@code nan} are gaps.
 */
public final class Chart {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final int LEFT = 90;
    private static final int RIGHT = 200;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4),
        new Color(0xd62728),
        new Color(0x2ca02c),
        new Color(0xff7f0e),
        new Color(0x9467bd),
        new Color(0x8c564b),
        new Color(0x17becf)
    };

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<String> series = new ArrayList<>();
    private final List<String> rowLabels = new ArrayList<>();
    private final List<double[]> rows = new ArrayList<>();

    private Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 6) {
            System.err.println("usage: Chart line|bars OUT.png TITLE XLABEL YLABEL DATA.tsv [log]");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Chart chart = new Chart(args[2], args[3], args[4]);
        chart.read(Path.of(args[5]));
        boolean log = args.length > 6 && args[6].equals("log");
        BufferedImage image = args[0].equals("bars") ? chart.bars() : chart.line(log);
        ImageIO.write(image, "png", Path.of(args[1]).toFile());
    }

    private void read(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split("\t", -1);
        for (int i = 1; i < header.length; i++) {
            series.add(header[i]);
        }
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            rowLabels.add(cells[0]);
            double[] values = new double[series.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = i + 1 < cells.length ? parse(cells[i + 1]) : Double.NaN;
            }
            rows.add(values);
        }
    }

    private static double parse(String cell) {
        String c = cell.trim();
        if (c.isEmpty() || c.equals("-") || c.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(c);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private BufferedImage line(boolean log) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (String label : rowLabels) {
            double x = parse(label);
            if (!Double.isNaN(x)) {
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
            }
        }
        Axis xAxis = Axis.of(xMin, xMax, false);
        Axis yAxis = Axis.of(minValue(log), maxValue(), log);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(image, xAxis, yAxis, true);
        // References first, underneath; then the series from the last to the first, so that the first stays on top
        // where lines coincide.
        List<Integer> order = new ArrayList<>();
        for (int s = series.size() - 1; s >= 0; s--) {
            if (isReference(s)) {
                order.add(0, s);
            } else {
                order.add(s);
            }
        }
        for (int s : order) {
            g.setColor(color(s));
            g.setStroke(
                    isReference(s)
                            ? new BasicStroke(
                                    1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0)
                            : new BasicStroke(s == 0 ? 3.0f : 2.0f));
            double px = Double.NaN;
            double py = Double.NaN;
            for (int r = 0; r < rows.size(); r++) {
                double x = parse(rowLabels.get(r));
                double v = rows.get(r)[s];
                if (Double.isNaN(x) || Double.isNaN(v) || (log && v <= 0)) {
                    px = Double.NaN;
                    continue;
                }
                double sx = xPixel(xAxis, x);
                double sy = yPixel(yAxis, v);
                if (!Double.isNaN(px)) {
                    g.draw(new Line2D.Double(px, py, sx, sy));
                }
                if (!isReference(s)) {
                    marker(g, s, (int) sx, (int) sy);
                }
                px = sx;
                py = sy;
            }
        }
        legend(g);
        g.dispose();
        return image;
    }

    private BufferedImage bars() {
        Axis yAxis = Axis.of(Math.min(0, minValue(false)), maxValue(), false);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(image, null, yAxis, false);
        int plotWidth = WIDTH - LEFT - RIGHT;
        double group = (double) plotWidth / Math.max(1, rows.size());
        double bar = group * 0.8 / Math.max(1, series.size());
        // Labels as large as fit under their group (down to 8 points), else every second, third ... one.
        int size = 11;
        int every = 1;
        while (widestLabel(g, size) > group * every - 4) {
            if (size > 8) {
                size--;
            } else {
                every++;
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
        for (int r = 0; r < rows.size(); r++) {
            double x0 = LEFT + r * group + group * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = rows.get(r)[s];
                if (Double.isNaN(v)) {
                    continue;
                }
                g.setColor(PALETTE[s % PALETTE.length]);
                int top = (int) yPixel(yAxis, Math.max(v, 0));
                int base = (int) yPixel(yAxis, Math.min(v, 0));
                g.fillRect((int) (x0 + s * bar), top, Math.max(1, (int) bar - 1), Math.max(1, base - top));
            }
            if (r % every == 0) {
                g.setColor(Color.DARK_GRAY);
                String label = rowLabels.get(r);
                int w = g.getFontMetrics().stringWidth(label);
                g.drawString(label, (int) (LEFT + r * group + group / 2 - w / 2.0), HEIGHT - BOTTOM + 18);
            }
        }
        legend(g);
        g.dispose();
        return image;
    }

    private int widestLabel(Graphics2D g, int size) {
        FontMetrics metrics = g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, size));
        int widest = 0;
        for (String label : rowLabels) {
            widest = Math.max(widest, metrics.stringWidth(label));
        }
        return widest;
    }

    private double minValue(boolean positiveOnly) {
        double min = Double.POSITIVE_INFINITY;
        for (double[] row : rows) {
            for (double v : row) {
                if (!Double.isNaN(v) && (!positiveOnly || v > 0)) {
                    min = Math.min(min, v);
                }
            }
        }
        return min == Double.POSITIVE_INFINITY ? (positiveOnly ? 1 : 0) : min;
    }

    private double maxValue() {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : rows) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return max == Double.NEGATIVE_INFINITY ? 1 : max;
    }

    /** White background, title, axes with ticks and grid, axis labels. */
    private Graphics2D frame(BufferedImage image, @Nullable Axis xAxis, Axis yAxis, boolean numericX) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int bottom = HEIGHT - BOTTOM;
        int right = WIDTH - RIGHT;
        for (double tick : yAxis.ticks()) {
            int y = (int) yPixel(yAxis, tick);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String label = Axis.format(tick);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        if (numericX && xAxis != null) {
            for (double tick : xAxis.ticks()) {
                int x = (int) xPixel(xAxis, tick);
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(x, TOP, x, bottom);
                g.setColor(Color.DARK_GRAY);
                String label = Axis.format(tick);
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, bottom + 18);
            }
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, bottom, right, bottom);
        g.drawLine(LEFT, TOP, LEFT, bottom);
        g.drawString(xLabel, LEFT + (right - LEFT) / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, HEIGHT - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(
                yLabel, -(TOP + (bottom - TOP) / 2) - g.getFontMetrics().stringWidth(yLabel) / 2, 22);
        rotated.dispose();
        return g;
    }

    /** A series named "... (reference)" is a guide line (e.g. attempted = achieved): grey, dashed, no markers. */
    private boolean isReference(int s) {
        return series.get(s).endsWith("(reference)");
    }

    private Color color(int s) {
        return isReference(s) ? Color.GRAY : PALETTE[s % PALETTE.length];
    }

    /** A circle, square or diamond by series, so that coinciding series can still be told apart. */
    private static void marker(Graphics2D g, int s, int x, int y) {
        switch (s % 3) {
            case 0 -> g.fillOval(x - 5, y - 5, 10, 10);
            case 1 -> g.fillRect(x - 4, y - 4, 8, 8);
            default -> g.fillPolygon(new int[] {x, x + 5, x, x - 5}, new int[] {y - 5, y, y + 5, y}, 4);
        }
    }

    private void legend(Graphics2D g) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = WIDTH - RIGHT + 20;
        for (int s = 0; s < series.size(); s++) {
            int y = TOP + 10 + s * 22;
            g.setColor(color(s));
            g.fillRect(x, y - 10, 14, 12);
            g.setColor(Color.BLACK);
            g.drawString(series.get(s), x + 20, y);
        }
    }

    private static double xPixel(Axis axis, double x) {
        return LEFT + axis.fraction(x) * (WIDTH - LEFT - RIGHT);
    }

    private static double yPixel(Axis axis, double y) {
        return HEIGHT - BOTTOM - axis.fraction(y) * (HEIGHT - TOP - BOTTOM);
    }

    /** A linear axis with round ticks (1, 2 or 5 times a power of ten), or a logarithmic one by decades. */
    private record Axis(double min, double max, boolean log, double step) {

        static Axis of(double min, double max, boolean log) {
            if (log) {
                double lo = Math.floor(Math.log10(min));
                double hi = Math.ceil(Math.log10(max));
                return new Axis(lo, hi == lo ? lo + 1 : hi, true, 1);
            }
            double lo = Math.min(0, min);
            double hi = max <= lo ? lo + 1 : max;
            double raw = (hi - lo) / 6;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / magnitude < 1.5 ? magnitude : raw / magnitude < 3.5 ? 2 * magnitude : 5 * magnitude;
            return new Axis(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, false, step);
        }

        double fraction(double v) {
            double value = log ? Math.log10(v) : v;
            return (value - min) / (max - min);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            for (double t = min; t <= max + step / 1000; t += step) {
                ticks.add(log ? Math.pow(10, t) : t);
            }
            return ticks;
        }

        static String format(double v) {
            if (v != 0 && (Math.abs(v) < 0.01 || Math.abs(v) >= 1e6)) {
                return String.format(Locale.ROOT, "%.0e", v);
            }
            return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
        }
    }
}
