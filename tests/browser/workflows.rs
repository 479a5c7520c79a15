//! The workflows against a running sandbox, as the pages run them: create
//! once (and a lost answer checked, never retried), delete many with the
//! signed-in account last, grant and revoke verified by re-reading, and a
//! revoked client that sends nothing.

use sa_console::api::me::fetch_me;
use sa_console::api::{accounts, ApiClient, ApiError};
use sa_console::domain::create_form::{CreateBody, ProjectRole};
use sa_console::domain::matrix::Change;
use sa_console::domain::membership::{grant_plan, revoke_plan};
use sa_console::domain::role::Role;
use sa_console::workflows::create::{create_once, CreateOutcome, CreateStep};
use sa_console::workflows::delete::delete_accounts;
use sa_console::workflows::membership::apply_and_verify;
use std::cell::RefCell;
use wasm_bindgen_test::wasm_bindgen_test;

const SANDBOX: &str = match option_env!("SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18787",
};
const ADMIN: (&str, &str) = ("demo-admin.0000ad.mp-service-account", "demo-admin-secret");
const ORG: u64 = 1;

fn admin() -> ApiClient {
    ApiClient::new(&format!("{SANDBOX}/api/app"), ADMIN.0, ADMIN.1)
}

fn body(name: &str, role: Role) -> CreateBody {
    CreateBody { username: name.to_string(), role, expires: None, projects: Vec::<ProjectRole>::new() }
}

async fn create(client: &ApiClient, name: &str, role: Role) -> accounts::Created {
    match create_once(client, ORG, &body(name, role), None, &|_| {}).await {
        CreateOutcome::Created(c) => c,
        other => panic!("{name} was not created: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn create_once_hands_over_the_secret() {
    let steps = RefCell::new(Vec::new());
    let outcome =
        create_once(&admin(), ORG, &body("wf-create", Role::Consumer), None, &|s| steps.borrow_mut().push(s)).await;
    let CreateOutcome::Created(created) = outcome else { panic!("{outcome:?}") };
    assert!(created.account.username.starts_with("wf-create."));
    assert!(!created.token.expose().is_empty());
    assert_eq!(*steps.borrow(), vec![CreateStep::Sending]);
}

/// scripts/test.sh starts the sandbox with two faults on this organisation's
/// create (the control routes answer only the sandbox's own origin, not this
/// test page): first `500after` (carried out, answer lost), then `500`.
const FAULTY_ORG: u64 = 2;

#[wasm_bindgen_test]
async fn lost_create_answers_are_checked_from_the_list_not_retried() {
    let steps = RefCell::new(Vec::new());
    let on_step = |s| steps.borrow_mut().push(s);
    let outcome = create_once(&admin(), FAULTY_ORG, &body("wf-ghost", Role::Consumer), None, &on_step).await;
    let CreateOutcome::CreatedAnyway(error, made) = outcome else { panic!("{outcome:?}") };
    assert!(matches!(error, ApiError::Server { status: 500, .. }), "{error:?}");
    assert_eq!(made.len(), 1);
    assert!(made[0].username.starts_with("wf-ghost."));
    assert!(steps.borrow().contains(&CreateStep::Checking(2)), "two looks agree before a verdict");

    let outcome = create_once(&admin(), FAULTY_ORG, &body("wf-nothing", Role::Consumer), None, &|_| {}).await;
    assert!(matches!(outcome, CreateOutcome::NotCreated(ApiError::Server { .. })), "{outcome:?}");
}

#[wasm_bindgen_test]
async fn delete_many_deletes_the_signed_in_account_last() {
    let other = create(&admin(), "wf-other", Role::Consumer).await;
    let me = create(&admin(), "wf-self", Role::Admin).await;
    let as_me = ApiClient::new(&format!("{SANDBOX}/api/app"), &me.account.username, me.token.expose());
    let order = RefCell::new(Vec::new());
    let targets =
        vec![(me.account.id, me.account.username.clone()), (other.account.id, other.account.username.clone())];
    let report =
        delete_accounts(&as_me, ORG, targets, None, &|d| order.borrow_mut().push((d.done, d.result.is_ok()))).await;
    assert_eq!(report.deleted, vec![other.account.id, me.account.id], "{report:?}");
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(*order.borrow(), vec![(1, true), (2, true)]);
    let list = accounts::list(&admin(), ORG, None, &|_| {}).await.unwrap();
    assert!(list.iter().all(|a| a.id != me.account.id && a.id != other.account.id));
}

#[wasm_bindgen_test]
async fn grant_then_revoke_is_verified_by_re_reading() {
    let client = admin();
    let account = create(&client, "wf-member", Role::Consumer).await;
    let me = fetch_me(&client, None).await.unwrap();
    let project = me.projects_of(ORG).next().expect("a project in org 1").id;
    let grant = grant_plan(&[account.account.id], &[(project, Role::Analyst)]).unwrap();
    let applied = apply_and_verify(&client, ORG, &Change::Add(grant), None).await.unwrap();
    assert!(applied.mismatches.is_empty() && applied.unchecked.is_empty(), "{applied:?}");
    assert!(applied.listings[&project].iter().any(|m| m.id == account.account.id && m.role.as_str() == "analyst"));
    let revoke = revoke_plan(&[account.account.id], &[project]).unwrap();
    let applied = apply_and_verify(&client, ORG, &Change::Remove(revoke), None).await.unwrap();
    assert!(applied.mismatches.is_empty(), "{applied:?}");
    assert!(applied.listings[&project].iter().all(|m| m.id != account.account.id));
}

#[wasm_bindgen_test]
async fn a_revoked_client_sends_nothing() {
    let client = admin();
    let held_by_a_task = client.clone();
    client.revoke();
    let err = accounts::list(&held_by_a_task, ORG, None, &|_| {}).await.unwrap_err();
    assert_eq!(err, ApiError::SignedOut);
}

/// scripts/test.sh also starts the sandbox with one 429 (Retry-After: 1) for
/// the listing of project 999999, which exists nowhere else.
#[wasm_bindgen_test]
async fn a_429_halves_the_fan_out_and_every_project_still_answers() {
    use sa_console::workflows::fan_out::{members_of_all, Progress};
    let client = admin();
    let me = fetch_me(&client, None).await.unwrap();
    let mut projects: Vec<u64> = me.projects_of(ORG).map(|p| p.id).collect();
    // More than six, so some wait in the browser's queue and a 429 can call
    // them back: each must still be reported exactly once (these ten are
    // nobody's, each a 404).
    projects.extend(900_001..=900_010);
    projects.insert(0, 999_999);
    let lanes = RefCell::new(Vec::new());
    let answers = RefCell::new(Vec::new());
    members_of_all(&client, projects.clone(), None, |progress| match progress {
        Progress::Lanes(n) => lanes.borrow_mut().push(n),
        Progress::Waiting { project, .. } => assert_eq!(project, 999_999),
        Progress::Done { project, result } => answers.borrow_mut().push((project, result.is_ok())),
    })
    .await;
    // The sandbox serves plain HTTP/1.1: six lanes, then three after the 429.
    assert_eq!(*lanes.borrow(), vec![6, 3]);
    let answers = answers.into_inner();
    assert_eq!(answers.len(), projects.len(), "every project answered once: {answers:?}");
    assert!(answers.iter().all(|(p, ok)| *ok == (*p != 999_999 && *p < 900_000)), "{answers:?}");
    let mut reported: Vec<u64> = answers.iter().map(|(p, _)| *p).collect();
    reported.sort_unstable();
    projects.sort_unstable();
    assert_eq!(reported, projects, "each project reported once, none lost");
}

/// scripts/test.sh starts the sandbox dropping the first two connections
/// that ask for project 999998's listing (which exists nowhere). Chromium
/// itself sends a request again once when a reused keep-alive connection
/// breaks before any answer (measured: one drop never reaches the page), so
/// the second drop is the console's to handle: it asks once more and gets
/// the server's real answer, a 404, not a network error. (Three drops fail
/// this test, as they should: the console asks once more, not forever.)
#[wasm_bindgen_test]
async fn a_read_whose_connection_broke_is_asked_once_more() {
    let client = admin();
    // A first answer, so the listing goes out on a reused connection.
    fetch_me(&client, None).await.unwrap();
    let answer = sa_console::api::projects::members(&client, 999_998, None, &|_| {}).await;
    assert!(matches!(answer, Err(ApiError::NotFound(_))), "the server's own answer, a 404: {answer:?}");
}
