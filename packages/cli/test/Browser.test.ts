// The HTML report in a real browser: Debian's chromium driven by playwright-core. Without chromium the tests
// are skipped with a printed reason, except in CI (CI=true), where they fail.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import type { DistrictReport } from "@xueshi/core"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { xueshi } from "./helpers.js"

const CHROMIUM = process.env.XUESHI_CHROMIUM ?? "/usr/bin/chromium"
const available = existsSync(CHROMIUM)
const inCi = process.env.CI === "true"
if (!available && !inCi)
  console.warn(`Browser.test.ts: skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium fonts-wqy-microhei)`)

/** Screenshots land here (gitignored); look at them. */
const SHOTS = fileURLToPath(new URL("../screenshots/", import.meta.url))

describe.skipIf(!available && !inCi)("the HTML report in chromium", () => {
  let dir: string
  let context: BrowserContext
  let page: Page
  let report: DistrictReport.DistrictReport
  let url: string

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true and no chromium at ${CHROMIUM}: .ci/run installs it`)
    dir = mkdtempSync(join(tmpdir(), "xueshi-browser-"))
    const log = join(dir, "district.jsonl")
    expect(xueshi(["generate", "--members", "400", "--seed", "5", "--out", log]).code).toBe(0)
    const html = join(dir, "report.html")
    expect(xueshi(["report", log, "--format", "html", "--out", html]).code).toBe(0)
    const json = xueshi(["report", log, "--format", "json"])
    expect(json.code).toBe(0)
    report = JSON.parse(json.stdout)
    url = pathToFileURL(html).href
    context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run"
      ],
      viewport: { width: 1280, height: 900 }
    })
    page = context.pages()[0] ?? (await context.newPage())
    const requests: Array<string> = []
    page.on("request", (r) => requests.push(r.url()))
    await page.goto(url)
    expect(requests).toEqual([url]) // self-contained: nothing else is fetched
    mkdirSync(SHOTS, { recursive: true })
  }, 120_000)

  afterAll(async () => {
    await context?.close()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it("shows the headline figures of the JSON report", async () => {
    const card = (key: string) => page.locator(`.card[data-key="${key}"] .v`).textContent()
    expect(await card("members")).toBe(String(report.headline.figures.members))
    expect(await card("met")).toBe(String(report.headline.figures.met))
    expect(await card("complianceRate")).toBe(report.headline.complianceRate?.percent)
    expect(await card("deliveryRate")).toBe(report.headline.deliveryRate?.percent)
  })

  it("draws a histogram per requirement: a bar per bucket, tall where members are, and the threshold", async () => {
    for (const q of report.requirements) {
      const figure = page.locator(`figure[data-requirement="${q.requirementId}"]`)
      const bars = figure.locator("rect")
      expect(await bars.count()).toBe(q.distribution.length)
      const fullest = q.distribution.reduce(
        (best, b, i) => (b.members > (q.distribution[best]?.members ?? 0) ? i : best),
        0
      )
      const box = await bars.nth(fullest).boundingBox()
      if ((q.distribution[fullest]?.members ?? 0) > 0) expect(box?.height ?? 0).toBeGreaterThan(20)
      expect(await figure.locator("line.threshold").count()).toBe(q.requiredHours === null ? 0 : 1)
    }
  })

  it("drills down the school tree to each community", async () => {
    expect(await page.locator("details").count()).toBe(report.schools.length)
    const sub = report.schools.find((s) => s.depth === 1) as DistrictReport.SchoolLine
    const child = report.schools.find((s) => s.parentId === sub.schoolId) as DistrictReport.SchoolLine
    const childNode = page.locator(`details[data-school="${child.schoolId}"] > summary`)
    expect(await childNode.isVisible()).toBe(false)
    await page.locator(`details[data-school="${sub.schoolId}"] > summary`).click()
    expect(await childNode.isVisible()).toBe(true)
    expect(await childNode.locator(".rate").textContent()).toContain(child.complianceRate?.percent ?? "—")
  })

  it("highlights every failing class and renders a course-mix bar per module", async () => {
    const failing = report.classes.filter((c) => c.verdicts.some((v) => v.status === "fail"))
    expect(await page.locator("#classes tr.fail").count()).toBe(failing.length)
    expect(await page.locator("#modules tbody tr").count()).toBe(report.modules.length)
    const theory = await page.locator("#modules .stack > i.theory").first().boundingBox()
    expect(theory?.width ?? 0).toBeGreaterThan(10)
  })

  it("searches and sorts the members who fall short", async () => {
    const rows = page.locator("#shortfall-table tbody tr")
    expect(await rows.count()).toBe(report.shortfalls.length)
    const someone = report.shortfalls[0] as DistrictReport.Shortfall
    await page.locator("input[type=search]").fill(someone.memberId)
    const expected = report.shortfalls.filter((s) => s.memberId.includes(someone.memberId)).length
    expect(await page.locator("#shortfall-table tbody tr:not([hidden])").count()).toBe(expected)
    expect(await page.locator("#shortfall-count").textContent()).toBe(String(expected))
    await page.locator("input[type=search]").fill("")
    const heading = page.locator("#shortfall-table th", { hasText: "差额学时" })
    const firstShortfall = () => page.locator("#shortfall-table tbody tr:first-child td:nth-child(8)").textContent()
    const amounts = report.shortfalls.map((s) => s.shortfallHours)
    await heading.click()
    expect(Number(await firstShortfall())).toBe(Math.min(...amounts))
    await heading.click()
    expect(Number(await firstShortfall())).toBe(Math.max(...amounts))
  })

  it("links each member who falls short to the explanation of the requirement, counted hours adding up", async () => {
    const someone = report.shortfalls.find((s) => s.earnedHours > 0) as DistrictReport.Shortfall
    const row = page.locator(`#shortfall-table tbody tr[data-member="${someone.memberId}"]`).first()
    await row.locator("a.explain").click()
    const panel = page.locator("#explain-panel")
    expect(await panel.isVisible()).toBe(true)
    expect(await panel.locator("h3").textContent()).toContain(someone.memberId)
    const body = (await panel.locator(".body").textContent()) ?? ""
    const counted = body.split("未计入")[0] ?? ""
    const hundredths = [...counted.matchAll(/\+ (\d+)\.(\d\d) h/g)].reduce(
      (n, m) => n + Number(m[1]) * 100 + Number(m[2]),
      0
    )
    expect(hundredths).toBe(Math.round(someone.earnedHours * 100))
    await page.screenshot({ path: join(SHOTS, "report-desktop-explain.png") })
    await panel.locator("button.close").click()
    expect(await panel.isVisible()).toBe(false)
  })

  it("pairs claimed and delivered trainee-times for every claiming school", async () => {
    expect(await page.locator("#quotas .pair").count()).toBe(report.quotas.length)
    const q = report.quotas.find((x) => x.claimedTraineeTimes > 0 && x.traineeTimes > 0)
    if (q !== undefined) {
      const pair = page.locator(`#quotas [data-school="${q.schoolId}"] + .pair`)
      const claimed = (await pair.locator(".claimed").boundingBox())?.width ?? 0
      const delivered = (await pair.locator(".delivered").boundingBox())?.width ?? 0
      expect(claimed).toBeGreaterThan(0)
      expect(delivered / claimed).toBeCloseTo(q.traineeTimes / q.claimedTraineeTimes, 1)
    }
  })

  it("fits a phone width and takes screenshots (desktop and phone)", async () => {
    await page.goto(url)
    await page.screenshot({ path: join(SHOTS, "report-desktop.png") })
    for (const id of ["requirements", "schools", "course-mix", "quotas"]) {
      const box = await page.locator(`#${id}`).boundingBox()
      if (box !== null)
        await page.screenshot({
          path: join(SHOTS, `report-desktop-${id}.png`),
          fullPage: true,
          clip: { x: 0, y: box.y, width: 1280, height: Math.min(box.height, 1100) }
        })
    }
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(url)
    const overflow = (await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) as number
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(SHOTS, "report-phone.png") })
    const mix = await page.locator("#course-mix").boundingBox()
    if (mix !== null)
      await page.screenshot({
        path: join(SHOTS, "report-phone-course-mix.png"),
        fullPage: true,
        clip: { x: 0, y: mix.y, width: 390, height: 844 }
      })
    await page.emulateMedia({ media: "print" })
    await page.setViewportSize({ width: 794, height: 1123 }) // A4 at 96 dpi
    await page.goto(url)
    await page.screenshot({ path: join(SHOTS, "report-print.png") })
  })
})
