//! The guided rotation on the detail page: plan, create the twin, show its
//! secret, and delete the old account only when the admin says so. Each step
//! leaves a state the dialog can explain when it is opened again.

use crate::api::accounts::{self, Created};
use crate::api::ApiError;
use crate::components::create_failure::{check_expiry, split_outcome, step_text, CreateProblem, LostAnswerNotice};
use crate::components::dialog::Dialog;
use crate::components::expiry_picker::ExpiryPicker;
use crate::components::role_select::OrgRoleSelect;
use crate::components::secret_dialog::SecretDialog;
use crate::domain::account::Account;
use crate::domain::account_name::replacements_of;
use crate::domain::create_form::policy_errors;
use crate::domain::rotation::{plan_rotation, rotation_body, Held, RoleSource};
use crate::domain::text::count_of;
use crate::domain::time_format::relative;
use crate::session::Session;
use crate::tasks::Tasks;
use crate::workflows::create::{create_once, CreateStep};
use chrono::Utc;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Plan,
    Creating(CreateStep),
    Secret(Created),
    /// The twin exists; the old account still works.
    Replaced(Account),
    Deleting(Account),
}

#[derive(Clone, Debug, PartialEq)]
enum Problem {
    Refused(String),
    Lost { error: ApiError, made: Vec<Account>, check: Option<ApiError> },
    DeleteFailed(String),
}

#[component]
pub fn RotateDialog(
    org: u64,
    old: Account,
    /// The old account's memberships, every project read.
    held: Vec<Held>,
    /// The old account's organisation role as the list gave it, if it did.
    #[prop(default = None)]
    listed_org_role: Option<String>,
    on_close: Callback<()>,
    /// The old account is gone; the twin's id.
    on_finished: Callback<u64>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let plan = plan_rotation(&old.username, &held, listed_org_role.as_deref());
    let policy = StoredValue::new(
        use_context::<RwSignal<crate::config::RuntimeConfig>>()
            .map(|c| c.with_untracked(crate::config::RuntimeConfig::policy))
            .unwrap_or_else(crate::domain::policy::Policy::none),
    );
    // Preselected so the twin complies with the organisation's policy.
    let role = RwSignal::new(policy.with_value(|p| p.compliant_role(plan.role)));
    let (compliant_expiry, compliant_date) = policy.with_value(|p| p.compliant_expiry(Utc::now()));
    let expiry = RwSignal::new(compliant_expiry);
    let custom_date = RwSignal::new(compliant_date);
    let date_error = RwSignal::new(None::<String>);
    let role_error = RwSignal::new(None::<String>);
    let choice_error = RwSignal::new(None::<String>);
    let step = RwSignal::new(Step::Plan);
    let problem = RwSignal::new(None::<Problem>);
    // Twins from an earlier, unfinished rotation: read when the dialog opens.
    let earlier = RwSignal::new(None::<Vec<Account>>);
    let old = StoredValue::new(old);
    let plan = StoredValue::new(plan);
    let tasks = Tasks::new();
    let expiry_warning = RwSignal::new(None::<String>);

    if let Some(client) = session.client() {
        tasks.spawn(move |signal| async move {
            match accounts::list(&client, org, Some(&signal), &|_| {}).await {
                Ok(list) => {
                    let found = old.try_with_value(|o| replacements_of(o, &list).into_iter().cloned().collect());
                    earlier.set(found);
                }
                Err(e) => session.note_error(&e),
            }
        });
    }

    let create = move |_| {
        if step.get_untracked() != Step::Plan {
            return;
        }
        let body = match plan.with_value(|p| {
            rotation_body(p, role.get_untracked(), expiry.get_untracked(), &custom_date.get_untracked(), Utc::now())
        }) {
            Ok(body) => body,
            Err(e) => {
                date_error.set(Some(e));
                return;
            }
        };
        date_error.set(None);
        // The organisation's policy applies to the twin too (its name is the
        // old one's, so only role and expiry are checked).
        let refused = policy.with_value(|p| policy_errors(p, &body, expiry.get_untracked(), Utc::now()));
        role_error.set(refused.role.clone());
        choice_error.set(refused.expires.clone());
        if refused.expiry_date.is_some() {
            date_error.set(refused.expiry_date.clone());
        }
        if refused.role.is_some() || refused.expires.is_some() || refused.expiry_date.is_some() {
            return;
        }
        problem.set(None);
        let Some(client) = session.client() else { return };
        step.set(Step::Creating(CreateStep::Sending));
        tasks.spawn(move |signal| async move {
            let on_step = |s| step.set(Step::Creating(s));
            match split_outcome(create_once(&client, org, &body, Some(&signal), &on_step).await) {
                Ok(c) => {
                    expiry_warning.set(check_expiry(session, &body, &c));
                    step.set(Step::Secret(c));
                }
                Err(p) => {
                    step.set(Step::Plan);
                    problem.set(Some(match p {
                        CreateProblem::Refused(e) => {
                            session.note_error(&e);
                            Problem::Refused(format!("{e} No replacement was created."))
                        }
                        CreateProblem::Lost { error, made, check } => Problem::Lost { error, made, check },
                    }));
                }
            }
        });
    };

    let delete_old = move |twin: Account| {
        let Some(client) = session.client() else { return };
        problem.set(None);
        step.set(Step::Deleting(twin.clone()));
        let id = old.with_value(|o| o.id);
        tasks.spawn(move |signal| async move {
            match accounts::delete(&client, org, id, Some(&signal)).await {
                // Already gone (deleted elsewhere): the rotation is finished all the same.
                Ok(()) | Err(ApiError::NotFound(_)) => on_finished.run(twin.id),
                Err(e) => {
                    session.note_error(&e);
                    step.set(Step::Replaced(twin));
                    problem.set(Some(Problem::DeleteFailed(format!("The old account was not deleted: {e}"))));
                }
            }
        });
    };

    let on_secret_done = Callback::new(move |_| {
        if let Step::Secret(c) = step.get_untracked() {
            step.set(Step::Replaced(c.account));
        }
    });
    let busy = Signal::derive(move || matches!(step.get(), Step::Creating(_) | Step::Deleting(_)));
    let api_base_url = session.client().map(|c| c.base_url().to_string()).unwrap_or_default();

    let problem_view = move || {
        problem.get().map(|p| match p {
            Problem::Refused(text) | Problem::DeleteFailed(text) => {
                view! { <div class="alert-error" role="alert"><p>{text}</p></div> }.into_any()
            }
            Problem::Lost { error, made, check } => view! {
                <LostAnswerNotice name=plan.with_value(|p| p.name.clone()) error=error made=made check_failed=check on_delete=None/>
            }
            .into_any(),
        })
    };

    let plan_view = move || {
        let (name, projects, source) = plan.with_value(|p| (p.name.clone(), p.projects.clone(), p.role_source.clone()));
        let old_name = old.with_value(|o| o.username.clone());
        let hint = match source {
            RoleSource::Listed => "As the old account's (from the organization's list).".to_string(),
            RoleSource::Inferred => "As the old account's (seen in its project access through the organization).".to_string(),
            RoleSource::Unknown => "The API did not report the old account's organization role: check this matches it.".to_string(),
            RoleSource::Unusable(role) => format!(
                "The old account's organization role is “{role}”, which the console cannot assign: choose the closest one."
            ),
        };
        view! {
            <p>{format!("Mixpanel cannot rotate a secret, so rotation replaces {old_name} with a new account and a new secret:")}</p>
            <ol class="plan">
                <li>
                    {format!("Create {name}.xxxxxx.mp-service-account with the same organization role and {}:", count_of(projects.len(), "project membership"))}
                    {if projects.is_empty() {
                        view! { <p class="muted">"(It has no direct project memberships.)"</p> }.into_any()
                    } else {
                        view! { <ul class="dialog-list">{projects.iter().map(|h| view! {
                            <li>{format!("{}: {}", h.project_name, h.role.key())}</li>
                        }).collect_view()}</ul> }.into_any()
                    }}
                </li>
                <li>"Show its secret once, for you to store."</li>
                <li>{format!("Keep {old_name} working until you press Delete old account, so integrations can move first.")}</li>
            </ol>
            <OrgRoleSelect role=role id="rotate-role" error=role_error hint=hint/>
            <ExpiryPicker choice=expiry custom_date=custom_date id="rotate" date_error=date_error choice_error=choice_error/>
        }
    };

    let earlier_view = move || {
        earlier.get().filter(|e| !e.is_empty()).map(|found| {
            let newest = found.iter().max_by_key(|a| a.created).cloned();
            view! {
                <div class="warning" role="note">
                    <p>"A rotation seems to have been started before: newer accounts with the same name exist."</p>
                    <ul>{found.iter().map(|a| view! {
                        <li><code>{a.username.clone()}</code>{a.created.map(|c| format!(", created {}", relative(c, Utc::now())))}</li>
                    }).collect_view()}</ul>
                    <p>"If one of them is the replacement and its secret is stored, delete the old account now; otherwise create another replacement."</p>
                    {newest.map(|twin| view! {
                        <button type="button" class="button-danger" disabled=move || busy.get() on:click=move |_| delete_old(twin.clone())>"Delete old account"</button>
                    })}
                </div>
            }
        })
    };

    move || {
        match step.get() {
        Step::Secret(c) => view! {
            <SecretDialog
                username=c.account.username.clone()
                secret=c.token.clone()
                api_base_url=api_base_url.clone()
                org=org
                on_done=on_secret_done
                context=format!("The replacement {} was created.", c.account.username)
                warning=expiry_warning.get_untracked()
            />
        }
        .into_any(),
        Step::Replaced(twin) | Step::Deleting(twin) => {
            let old_name = old.with_value(|o| o.username.clone());
            let message = format!(
                "{} replaces {old_name}, with the same access. Move every integration to the new credentials; until you delete the old account, both work.",
                twin.username
            );
            let twin_for_delete = twin.clone();
            view! {
                <Dialog title="Rotate" on_close=on_close closable=Signal::derive(move || !busy.get())>
                    <p>{message}</p>
                    {problem_view}
                    <p class="progress" role="status">{move || busy.get().then_some("Deleting the old account…")}</p>
                    <div class="dialog-actions">
                        <button type="button" class="button-secondary" disabled=move || busy.get() on:click=move |_| on_close.run(())>"Later"</button>
                        <button type="button" class="button-danger" disabled=move || busy.get() on:click=move |_| delete_old(twin_for_delete.clone())>"Delete old account"</button>
                    </div>
                </Dialog>
            }
            .into_any()
        }
        Step::Plan | Step::Creating(_) => view! {
            <Dialog title="Rotate" on_close=on_close closable=Signal::derive(move || !busy.get())>
                {plan_view()}
                {earlier_view}
                {problem_view}
                <p class="progress" role="status">{move || match step.get() { Step::Creating(s) => step_text(s), _ => String::new() }}</p>
                <div class="dialog-actions">
                    <button type="button" class="button-secondary" disabled=move || busy.get() on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="button" class="button-primary" disabled=move || busy.get() on:click=create>"Create replacement"</button>
                </div>
            </Dialog>
        }
        .into_any(),
    }
    }
}
