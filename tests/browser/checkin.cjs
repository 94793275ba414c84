// The check-in page in headless Chromium (Playwright driving the system's /usr/bin/chromium).
//
// Run by tests/serve_browser.rs, which starts `cccd serve` and owns the card:
//   node checkin.cjs URL SCENARIO... (env: CCCD_ID, CCCD_WRONG_ID, CCCD_NAME, CCCD_SHOTS, CCCD_TAG)
// When a scenario needs the card pulled out it prints "REMOVE" and waits for a line on stdin.
// Scenarios: genuine (read, name with diacritics, photo, English toggle, then the card is
// removed and the page clears), wrong (wrong ID -> wrong-key message), clone (not-genuine banner
// naming chip authentication). Screenshots go to CCCD_SHOTS/<tag>-<state>.png.
"use strict";

const { chromium } = require("playwright-core");
const path = require("path");
const readline = require("readline");

const [url, ...scenarios] = process.argv.slice(2);
const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`missing ${k}`);
  return v;
};
const shots = env("CCCD_SHOTS");
const tag = process.env.CCCD_TAG || "sim";
const WAIT = 30000;

const lines = readline.createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once("line", resolve));

function check(ok, what) {
  if (!ok) throw new Error("FAILED: " + what);
  console.error("ok: " + what);
}

async function shot(page, name) {
  const file = path.join(shots, `${tag}-${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.error("screenshot: " + file);
}

// Everything that matters is visible on a 1366x768 screen without scrolling sideways.
async function fits(page, what) {
  const m = await page.evaluate(() => {
    const vis = [...document.querySelectorAll("#banner, #card, #form")].filter((e) => !e.hidden);
    return {
      width: document.documentElement.scrollWidth,
      bottom: Math.max(...vis.map((e) => e.getBoundingClientRect().bottom)),
    };
  });
  check(m.width <= 1366 && m.bottom <= 768, `${what} fits 1366x768 (width ${m.width}, bottom ${Math.round(m.bottom)})`);
}

async function read(page, id) {
  await page.fill("#key", id);
  await page.click("#read");
}

async function genuine(page) {
  check((await page.textContent("label[for=key]")).includes("Số CCCD"), "Vietnamese labels by default");
  await shot(page, "1-empty-vi");
  await read(page, env("CCCD_ID"));
  await page.waitForSelector("#banner[data-verdict=genuine]", { timeout: WAIT });
  const name = await page.textContent("#f-full_name");
  check(name === env("CCCD_NAME"), `name with diacritics shown: ${name}`);
  check(/[^\x00-\x7f]/.test(name), "the name has diacritics");
  await page.waitForFunction(() => {
    const img = document.getElementById("photo");
    return img.complete && img.naturalWidth > 0;
  }, null, { timeout: WAIT });
  check(true, "photo shown");
  check((await page.textContent("#f-id_number")) === env("CCCD_ID"), "ID number shown");
  for (const f of ["date_of_birth", "sex", "place_of_residence", "place_of_origin", "date_of_issue", "date_of_expiry"]) {
    const v = (await page.textContent("#f-" + f)).trim();
    check(v.length > 0 && v !== "—", `${f} shown`);
  }
  await fits(page, "genuine result");
  await shot(page, "2-genuine-vi");
  await page.click("#lang");
  check((await page.textContent("#banner-title")).startsWith("GENUINE"), "English banner");
  check((await page.textContent("dt[data-i18n=full_name]")) === "Full name", "English labels");
  await shot(page, "3-genuine-en");
  await page.click("#lang");
  // The card leaves the reader: the page clears itself.
  console.log("REMOVE");
  await nextLine();
  await page.waitForSelector("#banner[data-code=removed]", { timeout: WAIT });
  check(await page.isHidden("#card"), "card data hidden after removal");
  check((await page.textContent("#f-full_name")) === "", "name wiped from the page");
  check(await page.evaluate(() => !document.getElementById("photo").getAttribute("src")), "photo wiped");
  check((await page.getAttribute("#reader", "data-state")) === "absent", "reader shows no card");
  await shot(page, "4-removed-vi");
  console.log("INSERT");
  await nextLine();
  await page.waitForSelector("#reader[data-state=present]", { timeout: WAIT });
}

async function wrong(page) {
  await read(page, env("CCCD_WRONG_ID"));
  await page.waitForSelector("#banner[data-code=wrong_access_key]", { timeout: WAIT });
  check((await page.textContent("#banner-title")).includes("không khớp"), "wrong-key message (vi)");
  check(await page.isHidden("#card"), "no card data on a wrong key");
  await shot(page, "5-wrong-key-vi");
  // The Clear button empties the page.
  await page.click("#clear");
  check(await page.isHidden("#banner"), "Clear hides the banner");
}

async function clone(page) {
  await read(page, env("CCCD_ID"));
  await page.waitForSelector("#banner[data-verdict=not-genuine]", { timeout: WAIT });
  check((await page.$$("#banner-reasons li[data-code=chip_authentication_failed]")).length === 1,
    "the reason names chip authentication (code)");
  check((await page.textContent("#banner-reasons")).includes("Xác thực chip"), "reason in Vietnamese");
  await fits(page, "not-genuine result");
  await shot(page, "6-clone-vi");
  await page.click("#lang");
  check((await page.textContent("#banner-title")).startsWith("NOT GENUINE"), "English not-genuine banner");
  check((await page.textContent("#banner-reasons")).includes("Chip authentication failed"), "reason in English");
  await shot(page, "7-clone-en");
  await page.click("#lang");
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CCCD_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  let failed = false;
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(url);
    await page.waitForSelector("#reader[data-state=present]", { timeout: WAIT });
    for (const s of scenarios) {
      const run = { genuine, wrong, clone }[s];
      if (!run) throw new Error("unknown scenario " + s);
      await run(page);
    }
    // The page's own requests only: a CSP violation or a script error fails the test. 4xx
    // answers the page expects (a wrong key, no face) are logged by Chromium as errors.
    const real = errors.filter((e) => !/status of 4\d\d/.test(e));
    check(real.length === 0, "no script or CSP error: " + real.join(" | "));
  } catch (e) {
    failed = true;
    console.error(String(e && e.stack || e));
  } finally {
    await browser.close();
    lines.close();
  }
  console.log(failed ? "FAIL" : "PASS");
  process.exit(failed ? 1 : 0);
})();
