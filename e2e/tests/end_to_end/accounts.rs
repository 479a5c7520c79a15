//! The accounts table: list, search, filter, every sort, deep links, CSV.

use e2e::Harness;
use fantoccini::Locator;
use sandbox::MAIN_ORG;

fn org_usernames(h: &Harness) -> Vec<String> {
    h.sandbox.sandbox.store().org_accounts(MAIN_ORG).map(|a| a.username.clone()).collect()
}

/// Opens the accounts page and waits for every account of the organisation
/// to be counted; returns their usernames.
async fn open_every_account(h: &Harness) -> Vec<String> {
    h.open_accounts().await;
    let all = org_usernames(h);
    h.wait_count(all.len()).await;
    all
}

#[tokio::test]
async fn lists_every_account_and_searches_case_insensitively() {
    let h = Harness::start().await;
    let all = open_every_account(&h).await;
    h.type_into("Search", "BILLING").await;
    let expected = all.iter().filter(|u| u.contains("billing")).count();
    assert!(expected > 0);
    h.wait_count(expected).await;
    assert!(h.shown_usernames().await.iter().all(|u| u.contains("billing")));
    h.type_into("Search", "no-such-account").await;
    h.wait_count(0).await;
    h.wait_text("No service account matches").await;
    h.finish().await;
}

#[tokio::test]
async fn status_filter_matches_the_status_counts() {
    let h = Harness::start().await;
    h.open_accounts().await;
    for (option, label) in [
        ("Expired", "Expired"),
        ("Never used", "Never used"),
        ("Stale", "Stale"),
        ("Expiring soon", "Expiring soon"),
        ("Active", "Active"),
    ] {
        h.choose("Status", option).await;
        let chip: String = h.wait_js(&format!("[...document.querySelectorAll('button[aria-pressed]')].map(b => b.innerText).find(t => t.startsWith('{label}:'))")).await.as_str().unwrap().into();
        let n: usize = chip.rsplit(": ").next().unwrap().replace(',', "").parse().unwrap();
        h.wait_count(n).await;
        let statuses: Vec<String> = serde_json::from_value(h.browser.execute("return [...document.querySelectorAll('table tbody tr[aria-rowindex] td:nth-child(3)')].map(td => td.innerText.trim())", vec![]).await.unwrap()).unwrap();
        assert!(statuses.iter().all(|s| s == label), "{option}: {statuses:?}");
    }
    h.finish().await;
}

/// Reads column `k` (1-based, after the checkbox) of the rows in the DOM.
async fn column_values(h: &Harness, k: usize) -> Vec<Option<String>> {
    let script = format!(
        "return [...document.querySelectorAll('table tbody tr[aria-rowindex]')].map(tr => {{ const td = tr.children[{k}]; const t = td.querySelector('time'); if (t) return t.getAttribute('datetime'); const s = td.innerText.trim(); return (s === 'Never' || s === '—') ? null : s; }})"
    );
    serde_json::from_value(h.browser.execute(&script, vec![]).await.unwrap()).unwrap()
}

fn check_order(values: &[Option<String>], key: impl Fn(&str) -> String, descending: bool, what: &str) {
    let first_null = values.iter().position(Option::is_none).unwrap_or(values.len());
    assert!(values[first_null..].iter().all(Option::is_none), "{what}: nulls last, got {values:?}");
    let keys: Vec<String> = values[..first_null].iter().map(|v| key(v.as_deref().unwrap())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    if descending {
        sorted.reverse();
    }
    assert_eq!(keys, sorted, "{what} {}", if descending { "descending" } else { "ascending" });
}

#[tokio::test]
async fn every_column_sorts_both_ways_with_nulls_last() {
    let h = Harness::start().await;
    h.open_accounts().await;
    let urgency = |s: &str| {
        ["Expired", "Expiring soon", "Never used", "Stale", "Active"].iter().position(|x| *x == s).unwrap().to_string()
    };
    let rank =
        |s: &str| ["Consumer", "Analyst", "Admin", "Owner"].iter().position(|x| *x == s).unwrap_or(9).to_string();
    let columns: [(&str, usize); 7] = [
        ("Username", 1),
        ("Status", 2),
        ("Organization role", 3),
        ("Created", 4),
        ("Last used", 5),
        ("Expires", 6),
        ("Creator", 7),
    ];
    for (name, k) in columns {
        for descending in [false, true] {
            // Username starts ascending, so its first click sorts descending.
            h.click(name).await;
            let sort = h.wait_js(&format!("[...document.querySelectorAll('th[aria-sort]')].find(th => th.innerText.trim() === '{name}')?.getAttribute('aria-sort')")).await;
            let now_descending = sort == "descending";
            if name != "Username" {
                assert_eq!(now_descending, descending, "{name}");
            }
            let values = column_values(&h, k).await;
            assert!(values.len() > 10, "{name}: rows shown");
            if name == "Status" {
                check_order(&values, urgency, now_descending, name);
            } else if name == "Organization role" {
                check_order(&values, rank, now_descending, name);
            } else if name == "Username" || name == "Creator" {
                check_order(&values, |s| s.to_lowercase(), now_descending, name);
            } else {
                check_order(&values, |s| s.to_string(), now_descending, name);
            }
        }
    }
    h.finish().await;
}

#[tokio::test]
async fn a_deep_link_survives_reload_and_sign_in() {
    let h = Harness::start().await;
    h.open("/accounts?org=1&q=etl&status=stale&sort=created&dir=desc").await;
    h.sign_in_here_as_admin().await;
    h.control("Search").await;
    let url = h.browser.current_url().await.unwrap();
    assert_eq!(url.query(), Some("org=1&q=etl&status=stale&sort=created&dir=desc"));
    assert_eq!(h.control("Search").await.prop("value").await.unwrap().as_deref(), Some("etl"));
    assert_eq!(h.control("Status").await.prop("value").await.unwrap().as_deref(), Some("stale"));
    h.wait_js("[...document.querySelectorAll('th')].find(th => th.innerText.trim() === 'Created')?.getAttribute('aria-sort') === 'descending'").await;
    let shown = h.shown_usernames().await;
    assert!(shown.iter().all(|u| u.contains("etl")), "{shown:?}");
    h.finish().await;
}

#[tokio::test]
async fn only_visible_rows_are_in_the_dom_at_scale() {
    let h = Harness::start_with(e2e::HarnessOptions {
        seed: sandbox::SeedOptions { seed: 5, accounts: 3000, projects: 4 },
        ..Default::default()
    })
    .await;
    h.open_accounts().await;
    h.wait_count(3003).await;
    let rows = h.shown_usernames().await.len();
    assert!(rows < 80, "{rows} rows in the DOM for 3,003 accounts");
    // A taller window shows more rows, drawn without a scroll.
    let rows_reach_the_bottom = "(() => { const s = document.querySelector('table').parentElement; \
        const rows = [...s.querySelectorAll('tbody tr[aria-rowindex]')]; \
        return rows.length > 0 && rows[rows.length - 1].getBoundingClientRect().bottom >= s.getBoundingClientRect().top + s.clientHeight - 0.5; })()";
    h.wait_js(rows_reach_the_bottom).await;
    h.browser.set_window_size(1280, 1500).await.unwrap();
    h.wait_js(&format!("window.innerHeight > 1000 && {rows_reach_the_bottom}")).await;
    h.browser.set_window_size(1280, 900).await.unwrap();
    // Scrolling far down shows the rows there.
    h.browser.execute("const s = document.querySelector('table').parentElement; s.scrollTop = s.scrollHeight; s.dispatchEvent(new Event('scroll'));", vec![]).await.unwrap();
    h.wait_js("[...document.querySelectorAll('table tbody tr[aria-rowindex]')].some(tr => +tr.getAttribute('aria-rowindex') === 3004)").await;
    h.finish().await;
}

/// The table's scroller is the page's one scrollbar: it fills the window
/// below the toolbar, and the page itself scrolls only in a window too short
/// for the toolbar and 320 px of table.
#[tokio::test]
async fn the_table_fills_the_window_and_the_page_does_not_scroll() {
    let h = Harness::start().await;
    open_every_account(&h).await;
    let fits = "(() => { const s = document.querySelector('.table-scroll'), r = s.getBoundingClientRect(), \
        main = getComputedStyle(document.querySelector('main')).paddingBottom; \
        return document.documentElement.scrollHeight <= innerHeight \
            && Math.abs(r.bottom + parseFloat(main) - innerHeight) <= 1.5 && s.clientHeight >= 320; })()";
    for height in [900, 1300, 760] {
        h.browser.set_window_size(1280, height).await.unwrap();
        h.wait_js(fits).await;
    }
    // Something above the table for a while (as an alert would be), through
    // a resize that measures the shorter table: when it goes, the taller
    // table is filled with rows without a scroll or a resize.
    let rows_reach_the_bottom = "(() => { const s = document.querySelector('.table-scroll'); \
        const rows = [...s.querySelectorAll('tbody tr[aria-rowindex]')]; \
        return rows.length > 0 && rows[rows.length - 1].getBoundingClientRect().bottom >= s.getBoundingClientRect().top + s.clientHeight - 0.5; })()";
    h.browser.set_window_size(1280, 1300).await.unwrap();
    h.wait_js(fits).await;
    h.browser.execute("const d = document.createElement('div'); d.id = 'above'; d.style.height = '500px'; document.querySelector('.table-scroll').before(d);", vec![]).await.unwrap();
    h.browser.set_window_size(1280, 1290).await.unwrap();
    h.wait_js(&format!(
        "document.querySelector('.table-scroll').clientHeight < 420 && {fits} && {rows_reach_the_bottom}"
    ))
    .await;
    h.browser.execute("document.getElementById('above').remove();", vec![]).await.unwrap();
    h.wait_js(&format!(
        "document.querySelector('.table-scroll').clientHeight > 880 && {fits} && {rows_reach_the_bottom}"
    ))
    .await;
    // Too short for both: the table keeps 320 px and the page scrolls.
    h.browser.set_window_size(1280, 500).await.unwrap();
    h.wait_js("document.querySelector('.table-scroll').clientHeight >= 318 && document.documentElement.scrollHeight > innerHeight").await;
    h.browser.set_window_size(1280, 900).await.unwrap();
    h.finish().await;
}

#[tokio::test]
async fn the_organization_role_filter_shows_exactly_that_role() {
    let h = Harness::start().await;
    h.open_accounts().await;
    let admins: Vec<String> = {
        let store = h.sandbox.sandbox.store();
        let mut found: Vec<String> = store
            .org_accounts(MAIN_ORG)
            .filter(|a| a.role == sandbox::model::Role::Admin)
            .map(|a| a.username.clone())
            .collect();
        found.sort_by_key(|u| u.to_lowercase());
        found
    };
    assert!(!admins.is_empty());
    h.control("Organization role").await.select_by_value("admin").await.unwrap();
    h.wait_count(admins.len()).await;
    assert_eq!(h.shown_usernames().await, admins);
    let here: String = h.wait_js("location.search").await.as_str().unwrap().into();
    assert!(here.contains("role=admin"), "the filter is in the URL: {here}");
    let label: String = h
        .wait_js("document.querySelector('#org-role-filter option[value=admin]').textContent")
        .await
        .as_str()
        .unwrap()
        .into();
    assert_eq!(label, format!("Admin ({})", admins.len()), "counted like the statuses");
    h.finish().await;
}

#[tokio::test]
async fn csv_export_holds_the_filtered_view() {
    let h = Harness::start().await;
    h.open_accounts().await;
    h.browser
        .execute("window.__csv = null; const o = URL.createObjectURL; URL.createObjectURL = b => { b.text().then(t => window.__csv = t); return o.call(URL, b); };", vec![])
        .await
        .unwrap();
    h.type_into("Search", "etl").await;
    let expected: Vec<String> = org_usernames(&h).into_iter().filter(|u| u.contains("etl")).collect();
    h.wait_count(expected.len()).await;
    h.click("Export CSV").await;
    let text = h.wait_js("window.__csv").await.as_str().unwrap().to_string();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "username", "status", "org_role", "created_utc", "last_used_utc", "expires_utc", "creator"]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for r in &records {
        let listed = h.sandbox.sandbox.store().find_by_username(&r[1]).map(|a| a.role.as_str().to_string());
        assert_eq!(Some(r[3].to_string()), listed, "org_role of {}", &r[1]);
    }
    let mut names: Vec<String> = records.iter().map(|r| r[1].to_string()).collect();
    let mut expected = expected;
    names.sort();
    expected.sort();
    assert_eq!(names, expected);
    assert!(h.browser.find(Locator::XPath("//table")).await.is_ok());
    h.finish().await;
}

/// "Select all" reads what the table shows: unticked with nothing selected,
/// half-ticked with some, ticked with every shown account; it selects and
/// clears only the accounts the search shows, and a selection hidden by the
/// search does not count.
#[tokio::test]
async fn select_all_follows_the_shown_accounts() {
    let h = Harness::start().await;
    let all = open_every_account(&h).await;
    let state = "(() => { const b = [...document.querySelectorAll('input[type=checkbox]')].find(i => i.getAttribute('aria-label') === 'Select all'); \
        return b.indeterminate ? 'mixed' : b.checked ? 'all' : 'none'; })()";
    let selected_text = "document.querySelector('.selection-count').textContent.trim()";
    assert_eq!(h.wait_js(state).await, "none");

    let billing: Vec<&String> = all.iter().filter(|u| u.contains("billing")).collect();
    assert!(billing.len() > 1);
    h.type_into("Search", "billing").await;
    h.wait_count(billing.len()).await;
    let first = h.shown_usernames().await.remove(0);
    h.tick(&format!("Select {first}")).await;
    h.wait_js(&format!("{state} === 'mixed'")).await;

    h.tick("Select all").await;
    h.wait_js(&format!("{state} === 'all' && {selected_text} === '{} selected'", billing.len())).await;
    // Another search: the billing accounts stay selected but are not shown.
    h.type_into("Search", "etl").await;
    h.wait_js(&format!("{state} === 'none' && {selected_text} === '{} selected'", billing.len())).await;
    // Back: every shown account is selected; a click clears them all.
    h.type_into("Search", "billing").await;
    h.wait_js(&format!("{state} === 'all'")).await;
    h.control("Select all").await.click().await.unwrap();
    h.wait_js(&format!("{state} === 'none' && {selected_text} === ''")).await;
    h.finish().await;
}

/// Nothing moves when the list arrives: the status chips' line is kept while
/// the list loads, so the search field and the table stay where the admin
/// may already be pointing.
#[tokio::test]
async fn the_toolbar_stays_put_when_the_list_arrives() {
    let h = Harness::start().await;
    h.sign_in_as_admin().await;
    h.sandbox.sandbox.faults().push(sandbox::FaultRule {
        path: Some(format!("/organizations/{MAIN_ORG}/service-accounts")),
        latency_ms: 1500,
        times: Some(1),
        ..Default::default()
    });
    h.choose("Organization", "Acme Corp (admin)").await;
    let top = "document.querySelector('.toolbar').getBoundingClientRect().top";
    let loading = h.wait_js(&format!("document.querySelector('.count')?.textContent === 'Loading…' && {top}")).await;
    h.wait_count(org_usernames(&h).len()).await;
    let loaded = h.wait_js(top).await;
    assert_eq!(loading.as_f64(), loaded.as_f64(), "the toolbar's top while loading and once loaded");
    h.finish().await;
}
