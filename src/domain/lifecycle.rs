//! The lifecycle of a report, decided here and nowhere else.
//!
//! ```text
//! pending_review ──approve──► active ──resolve──► resolved
//!   │   │                      │  ├─cancel───► cancelled
//!   │   └──reject──► rejected  │  └─expire───► expired
//!   └──lapse──► lapsed         └─update / extend / widen──► active (version+1)
//!
//! assign, photo, photo_refused: pending_review or active ──► the same state (version+1)
//! ```

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    PendingReview,
    Active,
    Rejected,
    Resolved,
    Cancelled,
    Expired,
    /// Nobody reviewed it in time: it ends without ever becoming an alert.
    Lapsed,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::PendingReview,
        Status::Active,
        Status::Rejected,
        Status::Resolved,
        Status::Cancelled,
        Status::Expired,
        Status::Lapsed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::PendingReview => "pending_review",
            Status::Active => "active",
            Status::Rejected => "rejected",
            Status::Resolved => "resolved",
            Status::Cancelled => "cancelled",
            Status::Expired => "expired",
            Status::Lapsed => "lapsed",
        }
    }

    /// A report in a terminal state never changes again (but for the purge of its data).
    pub fn is_terminal(self) -> bool {
        !matches!(self, Status::PendingReview | Status::Active)
    }

    /// The state `action` leads to from this one, or why it is refused.
    pub fn apply(self, action: Action) -> Result<Status, TransitionError> {
        use Action::*;
        use Status::*;
        match (self, action) {
            (PendingReview, Approve) => Ok(Active),
            (PendingReview, Reject) => Ok(Rejected),
            (PendingReview, Lapse) => Ok(Lapsed),
            (PendingReview, Assign | Photo | PhotoRefused) => Ok(PendingReview),
            (Active, Assign | Photo | PhotoRefused) => Ok(Active),
            (Active, Update | Extend | Widen) => Ok(Active),
            (Active, Resolve) => Ok(Resolved),
            (Active, Cancel) => Ok(Cancelled),
            (Active, Expire) => Ok(Expired),
            (from, action) => Err(TransitionError { from, action }),
        }
    }
}

/// What can happen to a report after it was filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Filing creates a report in `pending_review`; it applies to no existing state.
    File,
    Approve,
    Reject,
    Update,
    Extend,
    Widen,
    Resolve,
    Cancel,
    Expire,
    /// A supervisor puts an officer on the case.
    Assign,
    /// The scheduled run ends a report nobody reviewed in time.
    Lapse,
    /// The photo function hosts the photo an officer uploaded.
    Photo,
    /// The photo function refused an upload; the history says why.
    PhotoRefused,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::File,
        Action::Approve,
        Action::Reject,
        Action::Update,
        Action::Extend,
        Action::Widen,
        Action::Resolve,
        Action::Cancel,
        Action::Expire,
        Action::Assign,
        Action::Lapse,
        Action::Photo,
        Action::PhotoRefused,
    ];

    /// What people do to a filed report, each at `POST /reports/{id}/{name}`; the other
    /// actions are the filing itself and what the scheduled run does.
    pub const ON_REQUEST: [Action; 7] = [
        Action::Approve,
        Action::Reject,
        Action::Update,
        Action::Extend,
        Action::Resolve,
        Action::Cancel,
        Action::Assign,
    ];

    /// The action of [`Self::ON_REQUEST`] named `name`.
    pub fn on_request(name: &str) -> Option<Action> {
        Self::ON_REQUEST.into_iter().find(|a| a.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::File => "file",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Update => "update",
            Action::Extend => "extend",
            Action::Widen => "widen",
            Action::Resolve => "resolve",
            Action::Cancel => "cancel",
            Action::Expire => "expire",
            Action::Assign => "assign",
            Action::Lapse => "lapse",
            Action::Photo => "photo",
            Action::PhotoRefused => "photo_refused",
        }
    }

    /// The CAP message type this action publishes, if it changes what the public sees.
    pub fn cap_msg_type(self) -> Option<CapMsgType> {
        match self {
            Action::Approve => Some(CapMsgType::Alert),
            Action::Update | Action::Extend | Action::Widen => Some(CapMsgType::Update),
            Action::Resolve | Action::Cancel | Action::Expire => Some(CapMsgType::Cancel),
            Action::File
            | Action::Reject
            | Action::Assign
            | Action::Lapse
            | Action::Photo
            | Action::PhotoRefused => None,
        }
    }

    /// The CAP message type this action publishes when taken on a report in `from`: a
    /// new photo is news only once the public knows the alert.
    pub fn publishes(self, from: Status) -> Option<CapMsgType> {
        match (self, from) {
            (Action::Photo, Status::Active) => Some(CapMsgType::Update),
            _ => self.cap_msg_type(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapMsgType {
    Alert,
    Update,
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} a report that is {}", .action.as_str(), .from.as_str())]
pub struct TransitionError {
    pub from: Status,
    pub action: Action,
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Status::*;

    /// The whole matrix, written out, so that a change to the rules is a visible change here.
    #[test]
    fn transition_matrix() {
        let allowed: &[(Status, Action, Status)] = &[
            (PendingReview, Approve, Active),
            (PendingReview, Reject, Rejected),
            (PendingReview, Lapse, Lapsed),
            (PendingReview, Assign, PendingReview),
            (PendingReview, Photo, PendingReview),
            (PendingReview, PhotoRefused, PendingReview),
            (Active, Assign, Active),
            (Active, Photo, Active),
            (Active, PhotoRefused, Active),
            (Active, Update, Active),
            (Active, Extend, Active),
            (Active, Widen, Active),
            (Active, Resolve, Resolved),
            (Active, Cancel, Cancelled),
            (Active, Expire, Expired),
        ];
        for from in Status::ALL {
            for action in Action::ALL {
                let want = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                match (from.apply(action), want) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{from:?} {action:?}"),
                    (Err(e), None) => assert_eq!(e, TransitionError { from, action }),
                    (got, want) => panic!("{from:?} {action:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn terminal_states_accept_nothing() {
        for from in Status::ALL.into_iter().filter(|s| s.is_terminal()) {
            assert!(
                Action::ALL.iter().all(|a| from.apply(*a).is_err()),
                "{from:?}"
            );
        }
    }

    #[test]
    fn names_match_serde() {
        for s in Status::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for a in Action::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
        assert_eq!(Action::on_request("approve"), Some(Approve));
        assert_eq!(Action::on_request("assign"), Some(Assign));
        for not_on_request in ["file", "widen", "expire", "lapse", "photo", "Approve", ""] {
            assert_eq!(Action::on_request(not_on_request), None, "{not_on_request}");
        }
        let e = PendingReview.apply(Resolve).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot resolve a report that is pending_review"
        );
    }

    #[test]
    fn public_messages() {
        assert_eq!(Approve.cap_msg_type(), Some(CapMsgType::Alert));
        assert_eq!(Widen.cap_msg_type(), Some(CapMsgType::Update));
        assert_eq!(Expire.cap_msg_type(), Some(CapMsgType::Cancel));
        assert_eq!(Reject.cap_msg_type(), None);
        assert_eq!(Assign.cap_msg_type(), None);
        assert_eq!(Lapse.cap_msg_type(), None);
        assert_eq!(File.cap_msg_type(), None);
        assert_eq!(Photo.publishes(Active), Some(CapMsgType::Update));
        assert_eq!(Photo.publishes(PendingReview), None);
        assert_eq!(PhotoRefused.publishes(Active), None);
        assert_eq!(Approve.publishes(PendingReview), Some(CapMsgType::Alert));
    }
}
