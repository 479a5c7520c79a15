//! The four roles, used both as an organisation role and as a project role,
//! and how a membership was granted: defined in `sa_wire` (the listings'
//! decoder, compiled for speed, reads them), used everywhere from here.

pub use sa_wire::role::{role_label, Access, Role};
