//! The merchants list one page at a time.
//!
//! A platform may have 10,000 merchants; the UI must not fetch and render all
//! of them on every visit of the authorizers screen (2.6 MB of JSON, 70 MB of
//! page memory, seconds per switch). [`Desk::authorizer_page`] filters (platform,
//! status, account type, search, tag) and pages in SQL, and tells the total
//! and how many of the matches still lack a profile, so the screen can offer
//! "Fetch missing profiles" without holding every row. A page's notes, tags
//! and token expiries are read for its own rows only.

use serde::{Deserialize, Serialize};
use wxdesk_wechat::links::validate_appid;

use crate::error::{Error, Result};
use crate::services::authorizers::{check_account_type, AuthorizerQuery, AuthorizerView};
use crate::store::authorizers::{self, AuthorizerFilter};
use crate::store::merchant_notes;
use crate::store::{components, token_rows};
use crate::token_types::{authorizer_owner, TokenKind};
use crate::Desk;

/// Rows on a page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// Most rows on one page.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// Up to this many rows, a page reads its notes and token expiries row by row
/// (indexed look-ups) rather than every merchant's at once.
const ROW_BY_ROW: usize = 200;

/// One page of [`Desk::authorizer_page`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct AuthorizerPage {
    /// The rows of this page, newest authorization first.
    pub items: Vec<AuthorizerView>,
    /// How many authorizers match the filters (all pages).
    #[ts(type = "number")]
    pub total: u64,
    /// How many of those are active and still without a profile.
    #[ts(type = "number")]
    pub missing_profiles: u64,
    /// The page size used.
    pub limit: u32,
    /// Rows skipped before this page.
    pub offset: u32,
}

impl Desk {
    /// One page of the authorizers matching `q` (`limit` rows, default
    /// [`DEFAULT_PAGE_SIZE`], at most [`MAX_PAGE_SIZE`], after `offset`), with
    /// the total count.
    pub fn authorizer_page(
        &self,
        q: &AuthorizerQuery,
        limit: Option<u32>,
        offset: u32,
    ) -> Result<AuthorizerPage> {
        let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if limit == 0 || limit > MAX_PAGE_SIZE {
            return Err(Error::invalid(
                "limit",
                format!("must be 1 to {MAX_PAGE_SIZE} rows per page, e.g. 50"),
            ));
        }
        let (items, (total, missing_profiles)) =
            self.authorizers_matching(q, Some(limit), offset)?;
        Ok(AuthorizerPage {
            items,
            total,
            missing_profiles,
            limit,
            offset,
        })
    }

    /// The authorizers matching `q` (a page of them with `limit`), decorated
    /// with notes, tags and token expiries, and the (total, missing profiles)
    /// counts of all matches.
    pub(crate) fn authorizers_matching(
        &self,
        q: &AuthorizerQuery,
        limit: Option<u32>,
        offset: u32,
    ) -> Result<(Vec<AuthorizerView>, (u64, u64))> {
        if let Some(c) = q.component.as_deref() {
            validate_appid("component", c)?;
        }
        if let Some(t) = q.account_type.as_deref() {
            check_account_type(t)?;
        }
        let search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let tag = q.tag.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let filter = AuthorizerFilter {
            component_appid: q.component.as_deref(),
            status: q.status,
            account_type: q.account_type.as_deref(),
            search,
        };
        let scope = self.scope().to_string();
        let (mut views, counts, decorated) = self.store().read(|c| {
            if let Some(comp) = q.component.as_deref() {
                components::require(c, comp)?;
            }
            let rows = authorizers::page(c, &filter, tag, limit, offset)?;
            let counts = if limit.is_some() {
                authorizers::count(c, &filter, tag)?
            } else {
                let missing = rows
                    .iter()
                    .filter(|r| {
                        r.status == authorizers::AuthorizerStatus::Active && r.nick_name.is_empty()
                    })
                    .count();
                (rows.len() as u64, missing as u64)
            };
            let mut views: Vec<AuthorizerView> = rows
                .iter()
                .map(|r| AuthorizerView::from_row(r, false))
                .collect();
            let decorated = views.len() <= ROW_BY_ROW;
            if decorated {
                for v in views.iter_mut() {
                    let n = merchant_notes::get(c, &v.component_appid, &v.appid)?;
                    v.notes = n.notes;
                    v.tags = n.tags;
                    v.token_expires_at = token_rows::get(
                        c,
                        &scope,
                        TokenKind::Authorizer,
                        &authorizer_owner(&v.component_appid, &v.appid),
                    )?
                    .map(|t| t.expires_at);
                }
            }
            Ok((views, counts, decorated))
        })?;
        if !decorated {
            self.decorate_authorizers(&mut views, q.component.as_deref())?;
        }
        Ok((views, counts))
    }
}
