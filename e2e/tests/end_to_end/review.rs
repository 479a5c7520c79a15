//! The organisation's policy and the Review page: a policy refuses before
//! anything is sent, Review lists exactly the expired accounts and deletes
//! them (one DELETE each), and the expiry calendar holds one event per
//! account that will expire.

use chrono::Utc;
use e2e::{Harness, HarnessOptions};
use sandbox::MAIN_ORG;
use serde_json::json;

const LIST: &str = "/organizations/1/service-accounts";

fn with_policy(policy: serde_json::Value) -> HarnessOptions {
    HarnessOptions { policy: Some(policy), ..Default::default() }
}

/// The visible usernames of one Review section, by its heading.
async fn section_usernames(h: &Harness, heading: &str) -> Vec<String> {
    let script = format!(
        "const s = [...document.querySelectorAll('section.review-section')].find(s => s.querySelector('h2').textContent.trim() === {}); return s ? [...s.querySelectorAll('li code')].map(c => c.textContent) : [];",
        serde_json::to_string(heading).unwrap()
    );
    serde_json::from_value(h.browser.execute(&script, vec![]).await.unwrap()).unwrap()
}

async fn open_review(h: &Harness) {
    h.wait_xpath("//nav//a[normalize-space(.)='Review']").await.click().await.unwrap();
    h.wait_xpath("//section[contains(@class,'review-section')]/h2[normalize-space(.)='Expired']").await;
}

#[tokio::test]
async fn a_policy_refuses_never_on_create_and_nothing_is_sent() {
    let h = Harness::start_with(with_policy(json!({"require_expiry": true, "max_lifetime_days": 365}))).await;
    h.open_accounts().await;
    h.click("New service account").await;
    h.type_into("Name", "forever").await;
    h.choose("Expires", "Never").await;
    h.click("Create service account").await;
    let error = h.field_error("Expires").await;
    assert!(error.contains("policy requires an expiry"), "{error}");
    assert!(h.requests_to("POST", LIST).is_empty(), "no request leaves");
    assert_eq!(
        h.control("Name").await.prop("value").await.unwrap().as_deref(),
        Some("forever"),
        "nothing typed is lost"
    );
    h.choose("Expires", "90 days").await;
    h.click("Create service account").await;
    h.dialog("Save the secret now").await;
    assert_eq!(h.requests_to("POST", LIST).len(), 1);
    h.finish().await;
}

#[tokio::test]
async fn a_bad_policy_is_reported_on_sign_in() {
    let h = Harness::start_with(with_policy(json!({"name_pattern": "(["}))).await;
    h.open("/").await;
    h.wait_text("config.json's policy is not valid: policy.name_pattern is not a valid pattern").await;
    h.finish().await;
}

#[tokio::test]
async fn review_lists_exactly_the_expired_accounts_and_deletes_them() {
    let h = Harness::start().await;
    let now = Utc::now();
    let (mut expired, owners): (Vec<String>, Vec<String>) = {
        let store = h.sandbox.sandbox.store();
        let gone: Vec<_> = store.org_accounts(MAIN_ORG).filter(|a| a.expires.is_some_and(|e| e <= now)).collect();
        (
            gone.iter().map(|a| a.username.clone()).collect(),
            gone.iter().filter(|a| a.role == sandbox::model::Role::Owner).map(|a| a.username.clone()).collect(),
        )
    };
    expired.sort();
    assert!(!expired.is_empty() && expired.len() < 50, "the seed has some expired accounts");
    h.open_accounts().await;
    let started = std::time::Instant::now();
    open_review(&h).await;
    println!("review painted {} ms after the click", started.elapsed().as_millis());
    for heading in [
        "Expired",
        "Expiring soon",
        "Never used",
        "Stale",
        "No expiry",
        "Over the maximum lifetime",
        "Elevated organization role",
        "Name outside the naming rule",
    ] {
        h.wait_xpath(&format!("//section[contains(@class,'review-section')]/h2[normalize-space(.)='{heading}']")).await;
    }
    h.wait_text("None: no account is over the maximum lifetime.").await;
    let mut shown = section_usernames(&h, "Expired").await;
    shown.sort();
    assert_eq!(shown, expired, "exactly the sandbox's expired accounts");

    h.click("Delete expired").await;
    let title = format!("Delete {} service accounts", expired.len());
    h.dialog(&title).await;
    h.type_into("Type the username to confirm", &format!("delete {}", expired.len())).await;
    h.wait_xpath("//*[@role='dialog']//button[normalize-space(.)='Delete']").await.click().await.unwrap();
    let said = h
        .wait_js("[...document.querySelectorAll('[role=status], [role=alert]')].map(e => e.innerText).find(t => t.includes('Deleted') && !t.includes(' of '))")
        .await;
    // An admin cannot delete an owner's account: those are reported, the rest go.
    let said = said.as_str().unwrap();
    assert!(said.contains(&format!("Deleted {} service accounts.", expired.len() - owners.len())), "{said}");
    assert!(owners.iter().all(|o| said.contains(o.as_str())), "{said}");
    let deletes = h.sandbox.sandbox.requests().into_iter().filter(|r| r.method == "DELETE").count();
    assert_eq!(deletes, expired.len(), "one DELETE each");
    {
        let store = h.sandbox.sandbox.store();
        assert!(expired.iter().filter(|u| !owners.contains(u)).all(|u| store.find_by_username(u).is_none()));
    }
    h.allow_console("the server responded with a status of 403 (Forbidden)");
    let mut left = section_usernames(&h, "Expired").await;
    for _ in 0..50 {
        if left.len() == owners.len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = section_usernames(&h, "Expired").await;
    }
    let mut owners = owners;
    owners.sort();
    left.sort();
    assert_eq!(left, owners, "the list is read again after the delete");
    h.finish().await;
}

#[tokio::test]
async fn the_expiry_calendar_holds_one_event_per_expiring_account() {
    let h = Harness::start().await;
    let now = Utc::now();
    let expiring =
        h.sandbox.sandbox.store().org_accounts(MAIN_ORG).filter(|a| a.expires.is_some_and(|e| e > now)).count();
    h.open_accounts().await;
    open_review(&h).await;
    h.browser
        .execute("window.__ics = null; const o = URL.createObjectURL; URL.createObjectURL = b => { b.text().then(t => window.__ics = t); return o.call(URL, b); };", vec![])
        .await
        .unwrap();
    h.click("Export expiry calendar").await;
    let text = h.wait_js("window.__ics").await.as_str().unwrap().to_string();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.trim_end().ends_with("END:VCALENDAR"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), expiring);
    assert_eq!(text.matches("END:VEVENT").count(), expiring);
    assert_eq!(text.matches("BEGIN:VALARM").count(), expiring * 3, "reminders 30, 7 and 1 day before");
    let uids: std::collections::HashSet<&str> = text.lines().filter(|l| l.starts_with("UID:")).collect();
    assert_eq!(uids.len(), expiring, "one stable UID per account");
    h.finish().await;
}

#[tokio::test]
async fn a_snapshot_is_compared_with_the_present_and_a_corrupted_one_refused() {
    let h = Harness::start().await;
    h.open_accounts().await;
    open_review(&h).await;
    h.browser
        .execute("window.__saved = null; const o = URL.createObjectURL; URL.createObjectURL = b => { b.text().then(t => window.__saved = t); return o.call(URL, b); };", vec![])
        .await
        .unwrap();
    h.click("Download snapshot").await;
    let snapshot = h.wait_js("window.__saved").await.as_str().unwrap().to_string();
    let parsed: serde_json::Value = serde_json::from_str(&snapshot).unwrap();
    assert_eq!(parsed["organization_id"], 1);
    assert_eq!(parsed["sha256"].as_str().unwrap().len(), 64);

    // Change the organisation: one account created, one membership removed, one role raised.
    let http = reqwest::Client::new();
    let created = http
        .post(format!("{}/organizations/1/service-accounts", h.sandbox.api_url()))
        .basic_auth(sandbox::DEMO_ADMIN.username, Some(sandbox::DEMO_ADMIN.secret))
        .json(&json!({"username": "after-snapshot"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let (removed_user, raised_user) = {
        let mut store = h.sandbox.sandbox.store();
        let org_projects: Vec<u64> =
            store.projects.values().filter(|p| p.organization_id == MAIN_ORG).map(|p| p.id).collect();
        let mut picks = Vec::new();
        for p in &org_projects {
            if let Some(members) = store.members.get(p) {
                for (id, role) in members {
                    if *role == sandbox::model::Role::Consumer && picks.iter().all(|(a, _, _)| a != id) {
                        picks.push((*id, *p, *role));
                    }
                }
            }
        }
        let (removed, rp, _) = picks[0];
        let (raised, sp, _) = picks[1];
        store.members.get_mut(&rp).unwrap().remove(&removed);
        store.members.get_mut(&sp).unwrap().insert(raised, sandbox::model::Role::Analyst);
        (store.accounts[&removed].username.clone(), store.accounts[&raised].username.clone())
    };

    let dir = std::env::temp_dir().join(format!("sa-snapshot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("snapshot.json");
    std::fs::write(&good, &snapshot).unwrap();
    h.control("Compare with snapshot").await.send_keys(good.to_str().unwrap()).await.unwrap();
    h.wait_xpath("//section[h3[normalize-space(.)='Added']]").await;
    // A comparison list's own lines (its items, or "None."), by its
    // heading's id: from the DOM, not innerText, which leaves out a list
    // not yet laid out (the lists are `content-visibility: auto`), and not
    // from an enclosing section, whose text holds every other list of Review.
    let section = |title: &str| {
        let id = format!("compare-{}", title.to_lowercase().replace(' ', "-"));
        format!(
            "(() => {{ const h = document.getElementById({}); return h && [...h.parentElement.querySelectorAll('li, p')].map(e => e.textContent).join('\\n'); }})()",
            serde_json::to_string(&id).unwrap()
        )
    };
    let added: String = h.wait_js(&section("Added")).await.as_str().unwrap().into();
    assert!(added.contains("after-snapshot."), "{added}");
    let changed: String = h.wait_js(&section("Changed access")).await.as_str().unwrap().into();
    assert!(changed.contains(&format!("{raised_user}: raised in")), "{changed}");
    assert!(changed.contains(&format!("{removed_user}: removed from")), "{changed}");
    assert!(changed.find("raised in").unwrap() < changed.find("removed from").unwrap(), "raised privileges first");
    let removed: String = h.wait_js(&section("Removed")).await.as_str().unwrap().into();
    assert!(removed.contains("None."), "{removed}");

    // A corrupted snapshot is refused and changes nothing.
    let bad = dir.join("corrupted.json");
    std::fs::write(&bad, snapshot.replacen("\"consumer\"", "\"owner\"", 1)).unwrap();
    h.browser.execute("document.getElementById('compare-snapshot').value = ''", vec![]).await.unwrap();
    h.control("Compare with snapshot").await.send_keys(bad.to_str().unwrap()).await.unwrap();
    h.wait_text("was changed after it was taken").await;
    std::fs::remove_dir_all(dir).ok();
    h.finish().await;
}

#[tokio::test]
async fn rotate_from_review_preselects_a_compliant_role_and_expiry() {
    let h = Harness::start_with(with_policy(
        json!({"allowed_org_roles": ["consumer", "analyst"], "max_lifetime_days": 60}),
    ))
    .await;
    let admin = h
        .sandbox
        .sandbox
        .store()
        .org_accounts(MAIN_ORG)
        .find(|a| a.role == sandbox::model::Role::Admin && a.username != sandbox::DEMO_ADMIN.username)
        .map(|a| a.username.clone())
        .expect("another org admin");
    h.open_accounts().await;
    open_review(&h).await;
    let elevated = section_usernames(&h, "Elevated organization role").await;
    assert!(elevated.contains(&admin), "{elevated:?}");
    h.click(&format!("Rotate {admin}")).await;
    h.dialog("Rotate").await;
    let role: String = h.control("Organization role").await.prop("value").await.unwrap().unwrap();
    assert_eq!(role, "analyst", "the highest role the policy allows below admin");
    let expiry: String = h.control("Expires").await.prop("value").await.unwrap().unwrap();
    assert_eq!(expiry, "30d", "within the policy's 60 days");
    h.click("Cancel").await;
    h.finish().await;
}

/// Each Review list as `{skipped, estimate, height}`: whether it is left out
/// of layout (`content-visibility`), the height the page gives it until it is
/// drawn, and its content's height as drawn now (less its 4 px paddings).
const LISTS: &str = r#"
return [...document.querySelectorAll('ul.review-list')].map(l => ({
  skipped: !l.firstElementChild.checkVisibility({ contentVisibilityAuto: true }),
  estimate: parseFloat(l.style.containIntrinsicBlockSize.replace('auto', '')),
  height: l.getBoundingClientRect().height - 8,
}));
"#;

#[derive(Debug)]
struct List {
    skipped: bool,
    estimate: f64,
    height: f64,
}

async fn lists(h: &Harness) -> Vec<List> {
    let value = h.browser.execute(LISTS, vec![]).await.unwrap();
    let field = |l: &serde_json::Value, name: &str| l[name].as_f64().unwrap_or(f64::NAN);
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|l| List { skipped: l["skipped"] == true, estimate: field(l, "estimate"), height: field(l, "height") })
        .collect()
}

#[tokio::test]
async fn review_lays_out_only_the_lists_near_the_view() {
    // Long lists (400 accounts): the first sections fill the window.
    let h = Harness::start_with(HarnessOptions {
        seed: sandbox::SeedOptions { seed: 7, accounts: 400, projects: 4 },
        ..Default::default()
    })
    .await;
    h.open_accounts().await;
    open_review(&h).await;
    let first = lists(&h).await;
    assert!(first.len() >= 4, "several sections list accounts: {first:?}");
    assert!(!first[0].skipped, "the list in view is drawn: {first:?}");
    assert!(first.last().unwrap().skipped, "the last list, far below, is not laid out yet: {first:?}");
    for i in 0..first.len() {
        h.browser
            .execute(&format!("document.querySelectorAll('ul.review-list')[{i}].scrollIntoView()"), vec![])
            .await
            .unwrap();
        h.wait_js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))").await;
    }
    let drawn = lists(&h).await;
    assert!(!drawn.last().unwrap().skipped, "scrolled to, it is drawn: {drawn:?}");
    // The estimate stands in for the real height only until a list is
    // drawn (and a wrapped line or a Rotate button makes rows taller): it
    // must be of the right size, not exact.
    for list in &drawn {
        assert!(
            (list.height - list.estimate).abs() <= 0.6 * list.height,
            "estimate {} for a list {} px high: {drawn:?}",
            list.estimate,
            list.height
        );
    }
    h.finish().await;
}
