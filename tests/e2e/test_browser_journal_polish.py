"""In Chromium, as a new member and a new supporter find the journal: what waits on the home page,
a private observation, declining a handover step, the keeper's wording, the claim link across
signing in, confirmations, a long word, and the pages' screenshots at 1280 and 390 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from shared.settings import Settings
from tests.e2e.browser import chromium, screenshots_dir, shoot, web_server
from tests.e2e.test_browser_journal import fill_sign_in, fill_sign_up, record_victory, sign_up

pytestmark = pytest.mark.e2e


async def member(browser: Browser, url: str, name: str) -> Page:
    page = await (await browser.new_context()).new_page()
    await sign_up(page, url, name)
    return page


async def test_home_next_steps_handover_decline_private_observation_and_keeper_wording(
    settings: Settings, system: object, tmp_path: Path
) -> None:
    shots = screenshots_dir(tmp_path)
    async with web_server(settings) as url, chromium() as browser:
        kim, lee = await member(browser, url, "Kim"), await member(browser, url, "Lee")
        home = kim.locator("section.next-steps")
        await expect(home.get_by_role("link", name="Record your first small win")).to_be_visible()
        await home.get_by_role("link", name="Record your first small win").click()
        await record_victory(kim, "Made my bed")

        await kim.get_by_role("link", name="Supporters").click()
        await kim.get_by_label("Their pseudonym on Small Wins").fill("Lee")
        await kim.locator("input[name=role][value=keeper]").check()
        await kim.get_by_role("button", name="Send invitation").click()
        await expect(kim.get_by_role("status")).to_contain_text("Invitation sent")

        # the invitee hears of it on their home page and answers there
        await lee.goto(f"{url}/")
        invitation = lee.locator("li.invitation")
        await expect(invitation).to_contain_text("Kim invites you to support them as a keeper")
        await invitation.get_by_role("button", name="Accept").click()
        await expect(lee.get_by_role("heading", name="Kim's journal")).to_be_visible()
        await expect(lee.get_by_role("status")).to_contain_text("Invitation accepted")

        await lee.get_by_label("Propose the next step").select_option("supporter_keeps")
        stale = await (await lee.context.new_page()).goto(lee.url)  # a second tab, opened before the proposal
        assert stale is not None
        await lee.get_by_role("button", name="Propose").click()
        await expect(lee.locator("#proposal-waiting")).to_contain_text(
            "Waiting for Kim's answer: You keep Kim's journal for them"
        )
        second = lee.context.pages[-1]
        await second.get_by_label("Propose the next step").select_option("kept_together")
        await second.get_by_role("button", name="Propose").click()
        await expect(second.get_by_text("A handover step is already waiting for an answer")).to_be_visible()
        await lee.get_by_label("What have you noticed?").fill("You went for a walk twice this week")
        await lee.get_by_role("button", name="Share this observation").click()

        await kim.goto(f"{url}/")
        waiting = kim.locator("ul.waiting")
        await expect(waiting.locator("li.handover")).to_contain_text("Lee proposes a handover step")
        await expect(waiting.locator("li.observed")).to_contain_text("1 observation waiting for your decision")
        await expect(home.get_by_role("link", name="Record a small win")).to_be_visible()
        await shoot(kim, shots, "home")

        await waiting.get_by_role("link", name="See it and answer").click()
        await expect(kim.locator("#handover")).to_contain_text("Lee proposes: Lee keeps your journal for you")
        await kim.get_by_role("button", name="Not now").click()
        await expect(kim.get_by_role("status")).to_contain_text("You declined the handover step")
        await expect(kim.locator("#handover")).to_have_count(0)
        await kim.locator("#observations").get_by_role("button", name="Keep it just for me").click()
        await expect(kim.get_by_role("status")).to_contain_text("Kept just for you")
        private = kim.locator("li.item.kind-observation")
        await expect(private).to_contain_text("You went for a walk twice this week")
        await expect(private).to_contain_text("Noticed by Lee · kept just for you")

        await lee.reload()
        await expect(lee.locator("#proposal-answer")).to_have_text(
            re.compile("Kim declined a handover step .you keep Kim's journal for them.; the journal stayed as it was")
        )
        await expect(lee.get_by_text("You went for a walk twice this week")).to_have_count(0)

        # once Kim accepts writing together, the keeper's form speaks to the keeper
        await lee.get_by_label("Propose the next step").select_option("kept_together")
        await lee.get_by_role("button", name="Propose").click()
        await kim.goto(f"{url}/journal/supporters")
        await kim.get_by_role("button", name="Accept this step").click()
        await expect(kim.get_by_role("status")).to_contain_text("You accepted the handover step")
        await lee.reload()
        form = lee.locator("form.entry-form")
        await expect(form.get_by_label("What went well for Kim?")).to_be_visible()
        await expect(form.get_by_label("Only Kim and you")).to_be_visible()
        await expect(form.get_by_label("Kim and their supporters")).to_be_visible()
        await lee.get_by_role("link", name="Kim's mood and progress").click()
        await expect(lee.get_by_role("heading", name="Kim's mood", exact=True)).to_be_visible()


async def test_confirmations_ask_once_and_a_long_word_wraps_on_a_phone(
    settings: Settings, system: object, tmp_path: Path
) -> None:
    shots = screenshots_dir(tmp_path)
    async with web_server(settings) as url, chromium() as browser:
        ana, ben = await member(browser, url, "Ana"), await member(browser, url, "Ben")
        await ana.goto(f"{url}/journal")
        await record_victory(ana, "x" * 2000)
        await record_victory(ana, "Phoned the clinic")
        await ana.set_viewport_size({"width": 390, "height": 844})
        assert await ana.evaluate("document.documentElement.scrollWidth") <= 390

        entry = ana.locator("li.item").filter(has_text="Phoned the clinic")
        await entry.get_by_role("link", name="Retract").click()
        await expect(ana.get_by_text("Retract this entry? It leaves the timeline for good")).to_be_visible()
        await ana.get_by_role("link", name="Keep it").click()
        await expect(ana.locator("li.item").filter(has_text="Phoned the clinic")).to_be_visible()
        await ana.locator("li.item").filter(has_text="Phoned the clinic").get_by_role("link", name="Retract").click()
        await ana.get_by_role("button", name="Yes, retract it").click()
        await expect(ana.get_by_role("status")).to_contain_text("Entry retracted")
        await expect(ana.get_by_text("Phoned the clinic")).to_have_count(0)

        await ana.locator("li.item").first.get_by_role("link", name="Add a note").click()
        await ana.get_by_label("Your note").fill("Proud of this one")
        await ana.get_by_role("button", name="Add note").click()
        await expect(ana.get_by_text("Ana: Proud of this one")).to_be_visible()
        await shoot(ana, shots, "journal")
        await ana.get_by_role("link", name="Progress").click()
        await shoot(ana, shots, "progress")

        await ana.goto(f"{url}/journal/supporters")
        await ana.get_by_label("Their pseudonym on Small Wins").fill("Ben")
        await ana.get_by_role("button", name="Send invitation").click()
        await ben.goto(f"{url}/")
        await ben.locator("li.invitation").get_by_role("button", name="Accept").click()
        await ana.reload()
        await ana.get_by_label("Role of Ben").select_option("keeper")
        await ana.get_by_role("button", name="Change role").click()
        await expect(ana.get_by_role("status")).to_contain_text("Role changed")
        await shoot(ana, shots, "supporters")
        await ana.get_by_text("Remove Ben", exact=True).click()
        await expect(ana.get_by_text("Remove Ben? They stop seeing your journal at once.")).to_be_visible()
        await ana.get_by_role("button", name="Yes, remove Ben").click()
        await expect(ana.get_by_role("status")).to_contain_text("Supporter removed")
        await ben.goto(f"{url}/")
        await expect(ben.locator("li.supporting")).to_have_count(0)


async def test_claim_link_survives_signing_in_and_an_unknown_code_says_so(settings: Settings, system: object) -> None:
    async with web_server(settings) as url, chromium() as browser:
        sam = await member(browser, url, "Sam")
        await sam.goto(f"{url}/journal/supporters")
        await sam.get_by_label("Their first name or a nickname").fill("Alex")
        await sam.get_by_role("button", name="Start their journal").click()
        claim_link = await sam.locator("a.claim-link").inner_text()

        alex = await member(browser, url, "Alex")
        await alex.get_by_role("button", name="Sign out").click()
        await alex.goto(claim_link)
        await expect(alex.get_by_text("A journal is waiting for you. Sign in")).to_be_visible()
        await fill_sign_in(alex, "Alex")
        await expect(alex.get_by_role("heading", name="A journal has been kept for you")).to_be_visible()
        await alex.get_by_role("button", name="Take over my journal").click()
        await expect(alex.get_by_role("status")).to_contain_text("The journal is yours now")

        stranger = await (await browser.new_context()).new_page()
        await stranger.goto(claim_link)  # used: said at once, before any sign-in
        await expect(stranger.get_by_text("This link is no longer valid")).to_be_visible()
        await stranger.goto(f"{url}/journal/claim/made-up-code")
        await expect(stranger.get_by_text("This link is no longer valid")).to_be_visible()

        # a new person joins from a fresh link and comes straight back to it
        await sam.goto(f"{url}/journal/supporters")
        await sam.get_by_label("Their first name or a nickname").fill("Bo")
        await sam.get_by_role("button", name="Start their journal").click()
        second_link = await sam.locator("a.claim-link").inner_text()
        await stranger.goto(second_link)
        await stranger.get_by_role("link", name="Join Small Wins").click()
        await fill_sign_up(stranger, "Bo")
        await expect(stranger.get_by_role("heading", name="A journal has been kept for you")).to_be_visible()


async def test_supporter_crisis_guidance_pages_title_icon_and_expired_form(settings: Settings, system: object) -> None:
    async with web_server(settings) as url, chromium() as browser:
        kit, ray = await member(browser, url, "Kit"), await member(browser, url, "Ray")
        assert await kit.title() == "Home · Small Wins"
        icon = await kit.evaluate("document.querySelector('link[rel=icon]').href")
        assert (await kit.request.get(icon)).ok
        await kit.goto(f"{url}/journal")
        await record_victory(kit, "Cooked a real dinner")
        await kit.goto(f"{url}/journal/supporters")
        await kit.get_by_label("Their pseudonym on Small Wins").fill("Ray")
        await kit.get_by_role("button", name="Send invitation").click()
        await ray.goto(f"{url}/")
        await ray.locator("li.invitation").get_by_role("button", name="Accept").click()
        await ray.get_by_label("What have you noticed?").fill("Kit told me she wants to end her life tonight")
        await ray.get_by_role("button", name="Share this observation").click()
        guidance = ray.get_by_role("alert")
        await expect(guidance).to_contain_text("If someone you support may be at risk")
        await expect(guidance).not_to_contain_text("You matter")

        # an error page keeps the signed-in navigation; an expired form says so and offers a reload
        await ray.goto(f"{url}/no-such-page")
        await expect(ray.get_by_role("link", name="Journal")).to_be_visible()
        await ray.goto(f"{url}/journal/supporters")
        await ray.context.clear_cookies(name="sw_csrf")
        await ray.get_by_label("Their first name or a nickname").fill("Di")
        await ray.get_by_role("button", name="Start their journal").click()
        await expect(ray.get_by_role("heading", name="This form has expired")).to_be_visible()
        await expect(ray.get_by_text("Not yours to see")).to_have_count(0)
        await ray.get_by_role("link", name="Reload the form").click()
        await expect(ray.get_by_role("heading", name="Supporters")).to_be_visible()
