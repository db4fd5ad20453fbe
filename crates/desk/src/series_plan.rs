//! The capability report of a recurring series (issue 7): what each account's vendor will do
//! with it, before anything is submitted. No network: each account's cached client answers
//! [`VendorClient::series_plan`] from the series alone (and its clock, for Feishu's 30-day
//! window).

use huiyi_core::{AccountId, Lang, Series, SeriesPlan};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AccountView, Desk, UiError};

/// One account's part of the capability report, with every item in the desk's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SeriesPlanView {
    pub account: AccountView,
    pub plan: SeriesPlan,
    /// "native Tencent Meeting recurring series of 24 meeting(s)" / "24 single meeting(s), ...".
    pub headline: String,
    /// Why not native (empty when native).
    pub reasons: Vec<String>,
    /// Occurrences the vendor will not hold now, and why.
    pub beyond_cap: Vec<String>,
    /// Parts of the series the vendor's rule does not carry, and what Huiyi does instead.
    pub not_carried: Vec<String>,
}

impl SeriesPlanView {
    pub fn new(account: AccountView, plan: SeriesPlan, lang: Lang) -> SeriesPlanView {
        SeriesPlanView {
            headline: plan.headline(lang),
            reasons: plan.reason_messages(lang),
            beyond_cap: plan.beyond_cap_messages(lang),
            not_carried: plan.not_carried_messages(lang),
            account,
            plan,
        }
    }
}

impl Desk {
    /// Refuses a series that is not valid, naming the fields, in the desk's language.
    fn valid_series(&self, series: &Series) -> Result<(), UiError> {
        series
            .validate()
            .map_err(|errors| UiError::invalid_input(&errors, self.lang()))
    }

    /// What `account`'s vendor will do with `series`: native or single meetings, occurrences
    /// beyond its caps, what it cannot carry, why not native. No network.
    pub fn series_plan(&self, account: &AccountId, series: &Series) -> Result<SeriesPlan, UiError> {
        self.valid_series(series)?;
        let row = self.account_row(account)?;
        Ok(self.client_now(&row)?.series_plan(series))
    }

    /// [`Desk::series_plan`] for every account, in the accounts' order.
    pub fn series_plans(&self, series: &Series) -> Result<Vec<(AccountView, SeriesPlan)>, UiError> {
        self.valid_series(series)?;
        let rows = self.inner.store.accounts().map_err(|e| self.store_err(e))?;
        rows.iter()
            .map(|row| {
                let plan = self.client_now(row)?.series_plan(series);
                Ok((self.account_view(row), plan))
            })
            .collect()
    }

    /// The capability report as the window and the CLI show it: for one account, or for every
    /// account when `account` is none; each item in the desk's language.
    pub fn series_plan_report(
        &self,
        series: &Series,
        account: Option<&AccountId>,
    ) -> Result<Vec<SeriesPlanView>, UiError> {
        let lang = self.lang();
        let plans = match account {
            Some(id) => {
                let plan = self.series_plan(id, series)?;
                vec![(self.account_view(&self.account_row(id)?), plan)]
            }
            None => self.series_plans(series)?,
        };
        Ok(plans
            .into_iter()
            .map(|(a, p)| SeriesPlanView::new(a, p, lang))
            .collect())
    }
}
