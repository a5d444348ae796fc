//! Seal states of the interoperability platform (spec 002 §6.1.3, table 3) and the filing
//! business types (table 1).
//!
//! Table 3 codes the states 1 启用 (enabled), 3 注销 (cancelled), 4 停用 (disabled); code 2 is
//! not used. The transitions the platform's services imply (§5.1 c, §6.1.3) are:
//!
//! ```text
//!   enabled (1) ──disable──▶ disabled (4)
//!   disabled (4) ──enable──▶ enabled (1)
//!   enabled (1) | disabled (4) ──cancel──▶ cancelled (3)   (final)
//! ```
//!
//! A transition to the same state and any transition out of cancelled are refused.

use crate::error::{Error, Result};

/// `state` of table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SealState {
    /// 1 启用.
    Enabled,
    /// 3 注销: final.
    Cancelled,
    /// 4 停用.
    Disabled,
}

impl SealState {
    /// The code of table 3.
    pub fn code(self) -> i64 {
        match self {
            SealState::Enabled => 1,
            SealState::Cancelled => 3,
            SealState::Disabled => 4,
        }
    }

    /// From the code of table 3.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(SealState::Enabled),
            3 => Some(SealState::Cancelled),
            4 => Some(SealState::Disabled),
            _ => None,
        }
    }

    /// A name for messages.
    pub fn name(self) -> &'static str {
        match self {
            SealState::Enabled => "enabled (1)",
            SealState::Cancelled => "cancelled (3)",
            SealState::Disabled => "disabled (4)",
        }
    }

    /// Whether the platform allows going from `self` to `to`.
    pub fn can_become(self, to: SealState) -> bool {
        matches!(
            (self, to),
            (SealState::Enabled, SealState::Disabled)
                | (SealState::Disabled, SealState::Enabled)
                | (SealState::Enabled, SealState::Cancelled)
                | (SealState::Disabled, SealState::Cancelled)
        )
    }
}

/// The state of one seal, changed only by allowed transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealStateMachine {
    state: SealState,
}

impl Default for SealStateMachine {
    fn default() -> Self {
        SealStateMachine::new()
    }
}

impl SealStateMachine {
    /// A filed seal: enabled.
    pub fn new() -> Self {
        SealStateMachine {
            state: SealState::Enabled,
        }
    }

    /// A seal known to be in `state`.
    pub fn in_state(state: SealState) -> Self {
        SealStateMachine { state }
    }

    /// The current state.
    pub fn state(&self) -> SealState {
        self.state
    }

    /// Go to `to`.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`]; the state is unchanged.
    pub fn transition(&mut self, to: SealState) -> Result<SealState> {
        if !self.state.can_become(to) {
            return Err(Error::IllegalTransition {
                from: self.state.name(),
                to: to.name(),
            });
        }
        self.state = to;
        Ok(to)
    }
}

/// `bizType` of table 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BizType {
    /// 1 备案 (filing).
    Filing,
    /// 2 延期 (renewal).
    Renewal,
    /// 3 变更 (change).
    Change,
}

impl BizType {
    /// The code.
    pub fn code(self) -> i64 {
        match self {
            BizType::Filing => 1,
            BizType::Renewal => 2,
            BizType::Change => 3,
        }
    }

    /// From the code.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(BizType::Filing),
            2 => Some(BizType::Renewal),
            3 => Some(BizType::Change),
            _ => None,
        }
    }
}
