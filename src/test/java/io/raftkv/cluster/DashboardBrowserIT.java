package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard (/ui, docs/operations.md "Dashboard") in a real browser: headless Debian Chromium driven
 * by Selenium opens a follower's page of a 3-node cluster, which must name the leader the nodes agree on
 * and list the three members with their roles and each one's own applied index (the page polls its node's
 * GET /cluster/status every second, which asks every member); after kill -9 of the leader the page must
 * show the new leader by itself within {@link #NEW_LEADER_WITHIN}, and the killed member as unreachable. The measured
 * time from the kill to the page showing the new leader is printed ("dashboard: new leader shown after").
 *
 * <p>Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian chromium, chromium-driver; .ci/run installs
 * them): without them the test fails with that message, it never skips.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class DashboardBrowserIT {
  static final Path CHROMIUM = Path.of(System.getProperty("raftkv.it.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("raftkv.it.chromedriver", "/usr/bin/chromedriver"));
  /** Election (~1-2 s here) plus one poll of the page (1 s) plus slack for a busy 2-core machine. */
  static final Duration NEW_LEADER_WITHIN = Duration.ofSeconds(10);
  /** Columns of the members table (src/main/webapp/ui/index.html). */
  private static final int APPLIED = 5;
  private static final int STATE = 10;

  private static ClusterHarness cluster;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws IOException {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("DashboardBrowserIT needs %s and %s: apt-get install chromium chromium-driver (.ci/run does)",
            CHROMIUM, CHROMEDRIVER)
        .isTrue();
    cluster = ClusterHarness.start("DashboardBrowserIT", 3);
    browser = headlessChromium(cluster.workDir().resolve("chromium-profile"));
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) browser.quit();
    } finally {
      if (cluster != null) cluster.close();
    }
  }

  /**
   * Debian's Chromium and ChromeDriver, named explicitly so that Selenium Manager never tries to
   * download a browser or driver. The flags keep Chromium from calling out to Google's hosts, which
   * this machine's closed network refuses (and it runs as root: no sandbox).
   */
  static WebDriver headlessChromium(Path profile, String... extraArguments) throws IOException {
    Files.createDirectories(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath());
    options.addArguments(extraArguments);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(60)).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }

  @Test
  void aFollowersPageShowsTheLeaderAndFollowsALeaderKill() {
    int leader = cluster.awaitLeader(Duration.ofSeconds(60));
    int follower = cluster.running().stream().filter(id -> id != leader).findFirst().orElseThrow();
    browser.get(cluster.uri(follower).resolve("/ui/").toString());

    awaitPage(Duration.ofSeconds(15), "the page to show node " + follower + " and leader " + leader,
        () -> text("node").equals("node " + follower) && text("leader").equals(String.valueOf(leader)));
    Map<Integer, String> roles = awaitRoles(leader);
    assertThat(roles).containsOnlyKeys(cluster.ids());
    roles.forEach((id, role) -> assertThat(role).as("role of %d", id).isEqualTo(id == leader ? "leader" : "follower"));
    Map<Integer, List<String>> rows = awaitMembers("every member reachable with its applied index",
        r -> r.size() == 3 && r.values().stream().allMatch(c -> c.get(STATE).equals("reachable")));
    rows.forEach((id, cells) -> assertThat(cells.get(APPLIED)).as("applied index of member %d", id).matches("\\d+"));

    long killedAt = System.nanoTime();
    cluster.kill9(leader);
    String shown = awaitNewLeader(String.valueOf(leader));
    long shownAfterMs = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
    System.out.printf("dashboard: new leader %s shown after %d ms (kill -9 of leader %d, page of node %d)%n",
        shown, shownAfterMs, leader, follower);

    int newLeader = cluster.awaitLeader(Duration.ofSeconds(30));
    assertThat(shown).as("the leader the page shows is the one the nodes agree on").isEqualTo(String.valueOf(newLeader));
    assertThat(awaitRoles(newLeader)).containsEntry(newLeader, "leader").containsEntry(leader, "");
    rows = awaitMembers("the killed leader " + leader + " shown unreachable, the others with their applied index",
        r -> r.get(leader).get(STATE).startsWith("unreachable")
            && r.entrySet().stream().filter(e -> e.getKey() != leader)
                .allMatch(e -> e.getValue().get(STATE).equals("reachable") && e.getValue().get(APPLIED).matches("\\d+")));
    assertThat(rows.get(leader).get(APPLIED)).as("no figures for the killed member").isEmpty();
    assertThat(browser.findElement(By.id("changes")).findElements(By.tagName("li")))
        .as("leader changes list").hasSizeGreaterThanOrEqualTo(2)
        .first().extracting(WebElement::getText).asString().contains("leader " + newLeader);
  }

  /** Waits (polling every 50 ms) until the page names a leader other than {@code old}; returns it. */
  private String awaitNewLeader(String old) {
    String[] shown = new String[1];
    awaitPage(NEW_LEADER_WITHIN, "the page to show a new leader after leader " + old + " was killed", () -> {
      shown[0] = text("leader");
      return shown[0].matches("\\d+") && !shown[0].equals(old);
    });
    return shown[0];
  }

  /**
   * The members table (id -> its cells) once {@code condition} holds for it, waiting up to 10 s; the
   * page asks the members through its node's GET /cluster/status.
   */
  private Map<Integer, List<String>> awaitMembers(String what, Predicate<Map<Integer, List<String>>> condition) {
    Map<Integer, List<String>> rows = new TreeMap<>();
    awaitPage(Duration.ofSeconds(10), what, () -> {
      rows.clear();
      for (WebElement row : browser.findElements(By.cssSelector("#members tbody tr"))) {
        List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        rows.put(Integer.valueOf(cells.get(0)), cells);
      }
      return condition.test(rows);
    });
    return rows;
  }

  /** The members table once it marks {@code leader} as the leader: id -> role. */
  private Map<Integer, String> awaitRoles(int leader) {
    Map<Integer, String> roles = new TreeMap<>();
    awaitPage(Duration.ofSeconds(10), "the members table to mark " + leader + " as leader", () -> {
      roles.clear();
      for (WebElement row : browser.findElements(By.cssSelector("#members tbody tr"))) {
        List<WebElement> cells = row.findElements(By.tagName("td"));
        roles.put(Integer.valueOf(cells.get(0).getText()), cells.get(1).getText());
      }
      return "leader".equals(roles.get(leader));
    });
    return roles;
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private void awaitPage(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
    try {
      new WebDriverWait(browser, timeout, Duration.ofMillis(50))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(d -> condition.getAsBoolean());
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; page text:\n"
          + browser.findElement(By.tagName("body")).getText() + "\nviews:" + cluster.describeViews(), e);
    }
  }
}
