//! axe-core on every screen an admin reaches, dialogs open, field errors
//! shown: no violation anywhere (e2e/src/accessibility.rs runs it).

use e2e::Harness;

/// The first account the table shows (its dialogs are opened and cancelled,
/// never confirmed, so it may be any account, the signed-in one included).
async fn first_account(h: &Harness) -> String {
    h.wait_js("document.querySelector('table tbody tr[aria-rowindex] td.col-username a')?.textContent")
        .await
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn every_screen_and_dialog_passes_axe() {
    let h = Harness::start().await;
    let mut problems = Vec::new();
    let mut check = async |h: &Harness, page: &str| {
        for p in h.accessibility_problems().await {
            problems.push(format!("{page}: {p}"));
        }
    };
    h.open("/").await;
    h.control("Username").await;
    // The check itself: an unlabelled field added to the page is found.
    let add =
        "const i = document.createElement('input'); i.id = 'axe-probe'; document.querySelector('main').append(i);";
    h.browser.execute(add, vec![]).await.unwrap();
    let found = h.accessibility_problems().await;
    assert!(found.iter().any(|p| p.starts_with("label (critical)") && p.contains("#axe-probe")), "{found:?}");
    h.browser.execute("document.getElementById('axe-probe').remove()", vec![]).await.unwrap();
    check(&h, "sign-in").await;
    h.click("Sign in").await;
    h.field_error("Username").await;
    check(&h, "sign-in with errors").await;

    h.open_accounts().await;
    check(&h, "accounts").await;
    let username = first_account(&h).await;
    h.tick(&format!("Select {username}")).await;
    h.click("Delete selected").await;
    h.dialog("Delete service account").await;
    check(&h, "delete dialog").await;
    h.click("Cancel").await;
    h.click("Add to projects").await;
    h.dialog("Add to projects").await;
    check(&h, "add to projects dialog").await;
    h.click("Cancel").await;

    h.wait_xpath(&format!("//table//a[normalize-space(.)='{username}']")).await.click().await.unwrap();
    h.wait_text("Checked all").await;
    check(&h, "account detail").await;
    h.click("Rotate").await;
    h.dialog("Rotate").await;
    check(&h, "rotate dialog").await;
    h.click("Cancel").await;

    h.wait_xpath("//nav//a[normalize-space(.)='Service accounts']").await.click().await.unwrap();
    h.control("Search").await;
    h.click("New service account").await;
    h.control("Name").await;
    h.click("Create service account").await;
    h.field_error("Name").await;
    check(&h, "create with errors").await;
    h.type_into("Name", "axe-check").await;
    h.click("Create service account").await;
    h.dialog("Save the secret now").await;
    check(&h, "secret dialog").await;
    h.tick("I have stored the secret").await;
    h.click("Done").await;

    h.wait_xpath("//nav//a[normalize-space(.)='Access matrix']").await.click().await.unwrap();
    h.wait_text("Loaded all").await;
    check(&h, "access matrix").await;
    h.wait_xpath("//nav//a[normalize-space(.)='Review']").await.click().await.unwrap();
    h.wait_xpath("//section[contains(@class,'review-section')]/h2[normalize-space(.)='Expired']").await;
    check(&h, "review").await;
    h.wait_xpath("//nav//a[normalize-space(.)='Identity']").await.click().await.unwrap();
    h.wait_xpath("//h1[normalize-space(.)='Signed in']").await;
    check(&h, "identity").await;
    h.finish().await;
    assert!(problems.is_empty(), "axe-core finds {} problem(s):\n{}", problems.len(), problems.join("\n"));
}
