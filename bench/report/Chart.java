import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws bench/run's chart: grouped bars of the fio throughput medians (MB/s) per configuration, and
 * of the {@code ls -lR} medians (seconds) per configuration, one panel each, values written on the
 * bars. Headless AWT, no other dependency.
 *
 * <p>Usage: {@code java -Djava.awt.headless=true Chart.java medians.tsv chart.png}, where each line of
 * medians.tsv is {@code fio|ls <TAB> configuration <TAB> metric <TAB> value}.
 */
public final class Chart {
  private static final int WIDTH = 1500;
  private static final int PANEL_HEIGHT = 520;
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd)
  };

  /** One panel's data: configuration -> metric -> value, in file order. */
  record Panel(String title, String unit, Map<String, Map<String, Double>> values, List<String> metrics) {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: Chart medians.tsv chart.png");
      System.exit(2);
    }
    Panel fio = read(Path.of(args[0]), "fio", "Throughput with fio", "MB/s");
    Panel ls = read(Path.of(args[0]), "ls", "ls -lR of the small-file tree", "seconds");
    BufferedImage image = new BufferedImage(WIDTH, 2 * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    draw(g, fio, 0);
    draw(g, ls, PANEL_HEIGHT);
    g.dispose();
    ImageIO.write(image, "png", Path.of(args[1]).toFile());
  }

  private static Panel read(Path tsv, String kind, String title, String unit) throws IOException {
    Map<String, Map<String, Double>> values = new LinkedHashMap<>();
    LinkedHashSet<String> metrics = new LinkedHashSet<>();
    for (String line : Files.readAllLines(tsv)) {
      String[] f = line.split("\t");
      if (f.length != 4 || !f[0].equals(kind)) {
        continue;
      }
      double v;
      try {
        v = Double.parseDouble(f[3]);
      } catch (NumberFormatException e) {
        throw new IOException(tsv + ": value '" + f[3] + "' of " + f[1] + " / " + f[2] + " is not a number", e);
      }
      values.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(f[2], v);
      metrics.add(f[2]);
    }
    return new Panel(title, unit, values, new ArrayList<>(metrics));
  }

  private static void draw(Graphics2D g, Panel p, int top) {
    int left = 80;
    int right = WIDTH - 20;
    int plotTop = top + 70;
    int plotBottom = top + PANEL_HEIGHT - 90;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString(p.title() + " (" + p.unit() + ", median)", left, top + 30);
    if (p.values().isEmpty()) {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      g.drawString("not run", left, top + 60);
      return;
    }
    double max = p.values().values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue).max()
        .orElse(1);
    double scale = niceCeiling(max);
    // Legend.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int lx = left;
    for (int i = 0; i < p.metrics().size(); i++) {
      g.setColor(COLORS[i % COLORS.length]);
      g.fillRect(lx, top + 42, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(p.metrics().get(i), lx + 16, top + 53);
      lx += 30 + g.getFontMetrics().stringWidth(p.metrics().get(i));
    }
    // Axis and grid.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i <= 4; i++) {
      int y = plotBottom - (plotBottom - plotTop) * i / 4;
      g.setColor(new Color(0xdddddd));
      g.drawLine(left, y, right, y);
      g.setColor(Color.DARK_GRAY);
      String label = format(scale * i / 4);
      g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1));
    g.drawLine(left, plotBottom, right, plotBottom);
    // Bars.
    int groups = p.values().size();
    double groupWidth = (right - left) / (double) groups;
    double barWidth = groupWidth * 0.8 / p.metrics().size();
    int gi = 0;
    for (Map.Entry<String, Map<String, Double>> group : p.values().entrySet()) {
      double gx = left + gi * groupWidth + groupWidth * 0.1;
      for (int mi = 0; mi < p.metrics().size(); mi++) {
        Double v = group.getValue().get(p.metrics().get(mi));
        if (v == null) {
          continue;
        }
        int h = (int) Math.round((plotBottom - plotTop) * v / scale);
        int x = (int) Math.round(gx + mi * barWidth);
        g.setColor(COLORS[mi % COLORS.length]);
        g.fillRect(x, plotBottom - h, (int) Math.max(1, barWidth - 2), h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        String label = format(v);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(label, x + (int) (barWidth - 2 - fm.stringWidth(label)) / 2, plotBottom - h - 3);
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      drawWrapped(g, group.getKey(), (int) (left + gi * groupWidth), (int) groupWidth, plotBottom + 18);
      gi++;
    }
  }

  /** The configuration's name under its group, on as many lines as its width needs. */
  private static void drawWrapped(Graphics2D g, String text, int x, int width, int y) {
    FontMetrics fm = g.getFontMetrics();
    StringBuilder line = new StringBuilder();
    List<String> lines = new ArrayList<>();
    for (String word : text.split(" ")) {
      if (!line.isEmpty() && fm.stringWidth(line + " " + word) > width - 6) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.isEmpty() ? "" : " ").append(word);
    }
    lines.add(line.toString());
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      g.drawString(l, x + (width - fm.stringWidth(l)) / 2, y + i * (fm.getHeight()));
    }
  }

  private static double niceCeiling(double max) {
    if (max <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= max) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String format(double v) {
    if (v >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (v >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
