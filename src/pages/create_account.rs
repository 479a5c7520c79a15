//! Route `/accounts/new`: the create form, sent once; then the secret dialog.

use crate::api::accounts::Created;
use crate::api::ApiError;
use crate::components::create_failure::{check_expiry, split_outcome, step_text, CreateProblem, LostAnswerNotice};
use crate::components::delete_dialog::{delete_progress, stop_waiting, DeleteDialog, STOPPED_WAITING};
use crate::components::expiry_picker::ExpiryPicker;
use crate::components::field::TextField;
use crate::components::project_picker::ProjectPicker;
use crate::components::role_select::OrgRoleSelect;
use crate::components::secret_dialog::SecretDialog;
use crate::domain::account::Account;
use crate::domain::create_form::{
    cautions, field_of_server_message, policy_errors, validate, CreateDraft, Field, FieldErrors, ProjectChoice,
};
use crate::domain::expiry::ExpiryChoice;
use crate::domain::role::Role;
use crate::routing::{account_href, accounts_href, use_org};
use crate::session::Session;
use crate::tasks::Tasks;
use crate::workflows::create::{create_once, CreateStep};
use crate::workflows::delete::delete_accounts;
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

#[component]
pub fn CreateAccountPage() -> impl IntoView {
    let org = use_org();
    let session = expect_context::<Session>();
    move || {
        let Some(org) = org.get() else {
            return view! { <p class="empty-state">"Choose an organization above."</p> }.into_any();
        };
        let me = session.me();
        match me.as_ref().and_then(|m| m.organization(org)) {
            Some(o) if o.can_manage() => view! { <CreateForm org=org/> }.into_any(),
            Some(o) => view! {
                <section class="empty-state">
                    <h1>"New service account"</h1>
                    <p>{format!("Only organization admins and owners can create service accounts; your role in {} is {}.", o.name, o.role)}</p>
                </section>
            }
            .into_any(),
            None => view! { <p class="empty-state">"Choose an organization above."</p> }.into_any(),
        }
    }
}

/// Where a failed create left things, shown above the button.
#[derive(Clone, Debug, PartialEq)]
enum Failure {
    Lost { name: String, error: ApiError, made: Vec<Account>, check: Option<ApiError> },
    Deleted(String),
    DeleteFailed(String),
}

fn focus(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        use wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

fn field_id(field: Field) -> &'static str {
    match field {
        Field::Name => "create-name",
        Field::Role => "create-role",
        Field::Expires => "create-expiry",
        Field::ExpiryDate => "create-expiry-date",
        Field::Projects => "create-projects-error",
        Field::Form => "create-form-error",
    }
}

#[component]
fn CreateForm(org: u64) -> impl IntoView {
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let projects: Vec<ProjectChoice> = session
        .me()
        .map(|m| m.projects_of(org).map(|p| ProjectChoice::new(p.id, &p.name)).collect())
        .unwrap_or_default();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::default());
    let expiry = RwSignal::new(ExpiryChoice::default());
    let custom_date = RwSignal::new(String::new());
    let choices = RwSignal::new(projects);
    let errors = RwSignal::new(FieldErrors::default());
    let pending = RwSignal::new(None::<CreateStep>);
    // The organisation's policy (config.json), read once for this form.
    let policy = StoredValue::new(
        use_context::<RwSignal<crate::config::RuntimeConfig>>()
            .map(|c| c.with_untracked(crate::config::RuntimeConfig::policy))
            .unwrap_or_else(crate::domain::policy::Policy::none),
    );
    let tasks = Tasks::new();
    let failure = RwSignal::new(None::<Failure>);
    let created = RwSignal::new(None::<Created>);
    let expiry_warning = RwSignal::new(None::<String>);
    let deleting = RwSignal::new(None::<Account>);
    let delete_pending = RwSignal::new(false);
    let delete_status = RwSignal::new(None::<String>);

    let draft = move || CreateDraft {
        name: name.get_untracked(),
        role: role.get_untracked(),
        expiry: expiry.get_untracked(),
        custom_date: custom_date.get_untracked(),
        projects: choices.get_untracked(),
    };
    // Once the admin has tried to submit, errors follow their typing.
    let tried = RwSignal::new(false);
    Effect::new(move |_| {
        name.track();
        expiry.track();
        custom_date.track();
        if tried.get_untracked() {
            let now_errors = validate(&draft(), Utc::now()).err().unwrap_or_default();
            errors.update(|e| {
                e.name = now_errors.name;
                e.expiry_date = now_errors.expiry_date;
                e.expires = None;
            });
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked().is_some() {
            return;
        }
        tried.set(true);
        failure.set(None);
        #[allow(clippy::result_large_err)] // one message per field, once per submit
        let checked = validate(&draft(), Utc::now()).and_then(|body| {
            // The organisation's policy: refused here, nothing sent.
            let refused = policy.with_value(|p| policy_errors(p, &body, expiry.get_untracked(), Utc::now()));
            if refused.is_empty() {
                Ok(body)
            } else {
                Err(refused)
            }
        });
        let body = match checked {
            Ok(body) => body,
            Err(found) => {
                if let Some(first) = found.first() {
                    focus(field_id(first));
                }
                errors.set(found);
                return;
            }
        };
        errors.set(FieldErrors::default());
        let Some(client) = session.client() else { return };
        pending.set(Some(CreateStep::Sending));
        tasks.spawn(move |signal| async move {
            let on_step = |step| pending.set(Some(step));
            let outcome = create_once(&client, org, &body, Some(&signal), &on_step).await;
            pending.set(None);
            match split_outcome(outcome) {
                Ok(c) => {
                    expiry_warning.set(check_expiry(session, &body, &c));
                    created.set(Some(c));
                }
                Err(CreateProblem::Refused(e)) => {
                    session.note_error(&e);
                    let (field, text) = match e.refusal_text() {
                        Some(t) => (field_of_server_message(t), format!("{e}")),
                        None => (Field::Form, format!("{e} The account was not created.")),
                    };
                    errors.update(|all| all.set(field, text));
                    focus(field_id(field));
                }
                Err(CreateProblem::Lost { error, made, check }) => {
                    if let Some(check) = &check {
                        session.note_error(check);
                    }
                    failure.set(Some(Failure::Lost { name: body.username, error, made, check }))
                }
            }
        });
    };

    let confirm_delete = Callback::new(move |_| {
        let (Some(client), Some(target)) = (session.client(), deleting.get_untracked()) else { return };
        delete_pending.set(true);
        tasks.replace("delete", move |signal| async move {
            let on_each = delete_progress(session, delete_status);
            let report =
                delete_accounts(&client, org, vec![(target.id, target.username.clone())], Some(&signal), &on_each)
                    .await;
            delete_pending.set(false);
            deleting.set(None);
            failure.set(Some(match report.failed.first() {
                None => Failure::Deleted(target.username),
                Some((_, _, why)) => Failure::DeleteFailed(format!("{} was not deleted: {why}", target.username)),
            }));
        });
    });

    let navigate = StoredValue::new(navigate);
    let on_done = Callback::new(move |_| {
        let id = created.with_untracked(|c| c.as_ref().map(|c| c.account.id));
        created.set(None);
        if let Some(id) = id {
            navigate.with_value(|n| n(&account_href(org, id), NavigateOptions::default()));
        }
    });

    let api_base_url = session.client().map(|c| c.base_url().to_string()).unwrap_or_default();
    let org_name = session.me().and_then(|m| m.organization(org).map(|o| o.name.clone())).unwrap_or_default();
    view! {
        <p><a href=accounts_href(org)>"← All service accounts"</a></p>
        <section class="create-page" aria-labelledby="create-heading">
            <h1 id="create-heading">"New service account"</h1>
            <p class="muted">{format!("In {org_name}. Give each integration its own account, the least access it needs, and an expiry.")}</p>
            <form on:submit=submit novalidate=true aria-busy=move || if pending.with(Option::is_some) { "true" } else { "false" }>
                <TextField
                    id="create-name"
                    label="Name"
                    value=name
                    error=Signal::derive(move || errors.with(|e| e.name.clone()))
                    hint="Letters A–Z, digits, “-” and “_”, up to 64. Mixpanel adds a suffix: NAME.xxxxxx.mp-service-account."
                />
                <OrgRoleSelect role=role id="create-role" error=Signal::derive(move || errors.with(|e| e.role.clone()))/>
                <ExpiryPicker choice=expiry custom_date=custom_date id="create" date_error=Signal::derive(move || errors.with(|e| e.expiry_date.clone())) choice_error=Signal::derive(move || errors.with(|e| e.expires.clone()))/>
                <ProjectPicker choices=choices verb="Add to" id="create-projects" error=Signal::derive(move || errors.with(|e| e.projects.clone()))/>
                {move || {
                    let notes = cautions(&CreateDraft {
                        name: String::new(),
                        role: role.get(),
                        expiry: expiry.get(),
                        custom_date: String::new(),
                        projects: choices.get(),
                    });
                    (!notes.is_empty()).then(|| view! {
                        <div class="warning" role="note">
                            <p>"Before you create it:"</p>
                            <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                        </div>
                    })
                }}
                <p class="form-error" id="create-form-error" tabindex="-1" role="alert">{move || errors.with(|e| e.form.clone())}</p>
                {move || failure.get().map(|f| match f {
                    Failure::Lost { name, error, made, check } => view! {
                        <LostAnswerNotice name=name error=error made=made check_failed=check on_delete=Some(Callback::new(move |a| deleting.set(Some(a))))/>
                    }.into_any(),
                    Failure::Deleted(u) => view! {
                        <div class="alert-ok" role="status"><p>{format!("Deleted {u}. Your entries are kept: press Create service account to create it again.")}</p></div>
                    }.into_any(),
                    Failure::DeleteFailed(text) => view! { <div class="alert-error" role="alert"><p>{text}</p></div> }.into_any(),
                })}
                <div class="form-actions">
                    <button type="submit" class="button-primary" disabled=move || pending.with(Option::is_some)>"Create service account"</button>
                    <span class="progress" role="status">{move || pending.get().map(step_text)}</span>
                </div>
            </form>
        </section>
        {move || created.get().map(|c| view! {
            <SecretDialog
                username=c.account.username.clone()
                secret=c.token.clone()
                api_base_url=api_base_url.clone()
                org=org
                on_done=on_done
                context=format!("{} was created.", c.account.username)
                warning=expiry_warning.get_untracked()
            />
        })}
        {move || deleting.get().map(|a| view! {
            <DeleteDialog
                usernames=vec![a.username.clone()]
                on_confirm=confirm_delete
                on_close=Callback::new(move |_| {
                    if stop_waiting(tasks, delete_pending, delete_status) {
                        failure.set(Some(Failure::DeleteFailed(STOPPED_WAITING.to_string())));
                    }
                    deleting.set(None);
                })
                pending=delete_pending
                progress=delete_status
            />
        })}
    }
}
