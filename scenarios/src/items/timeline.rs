//! T7: the application publishes events to the timeline server, readable by its user and (on a
//! secure cluster) by nobody anonymous. Whatever the application calls its entity types: the
//! timeline server's own store lists every entity it holds, and those whose ids name this
//! application (and are not the ResourceManager's own `YARN_*` entities) are its publications.

use yarnsec_hadoop::http::Auth;
use yarnsec_harness::timeline_store::StoredEntity;

use crate::context::Context;
use crate::facts::app_run::AppRun;
use crate::verdict::{Evidence, Verdict};

/// One entity the application published, and how the timeline server serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The entity.
    pub entity: StoredEntity,
    /// Status of `GET /ws/v1/timeline/{type}/{id}` as the application's user, and how many
    /// events the answer holds.
    pub as_user: Result<(u16, usize), String>,
    /// Status of the same GET without credentials.
    pub anonymous: Result<u16, String>,
}

/// What T7 saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineFacts {
    /// The application.
    pub app_id: String,
    /// Its user.
    pub user: String,
    /// Its entities in the store.
    pub published: Vec<Published>,
    /// Every entity type the store holds (to show what was looked at).
    pub types_in_store: Vec<String>,
    /// Whether the cluster uses Kerberos.
    pub kerberos: bool,
}

/// The part of an application id that every id of its attempts, containers and jobs repeats
/// (`1796138443527_0001` of `application_1796138443527_0001`).
pub fn app_suffix(app_id: &str) -> &str {
    app_id.strip_prefix("application_").unwrap_or(app_id)
}

/// The entities of `all` that the application published: their ids name it, and they are not
/// the ResourceManager's (`YARN_APPLICATION`, `YARN_APPLICATION_ATTEMPT`, `YARN_CONTAINER`).
pub fn published_by<'a>(all: &'a [StoredEntity], app_id: &str) -> Vec<&'a StoredEntity> {
    let suffix = app_suffix(app_id);
    all.iter().filter(|e| !e.entity_type.starts_with("YARN_") && e.id.contains(suffix)).collect()
}

/// T7: observe the store and how the server serves the application's entities, then judge.
pub async fn t7(ctx: &Context<'_>) -> Verdict {
    if !ctx.service.features.timeline {
        return Verdict::not_applicable("the service declares no timeline support");
    }
    let run = or_verdict!(ctx.alice().await);
    let cred = or_verdict!(ctx.credential_or_fail("alice"));
    let alice = ctx.cluster.auth_for("alice", cred.as_ref());
    let store = ctx.cluster.evidence().timeline_entities().await;
    let all = or_verdict!(store.map_err(|e| crate::error::ObserveError::cluster("the timeline server's store")(e).verdict()));
    let base = ctx.cluster.layout().hadoop_url(yarnsec_harness::layout::ports::TIMELINE_HTTP);
    let mut published = Vec::new();
    for entity in published_by(&all, &run.app.id) {
        let url = format!("{base}/ws/v1/timeline/{}/{}", entity.entity_type, entity.id);
        let as_user = match ctx.http().get(&url, alice).await {
            Ok(r) => {
                let events = r.json::<serde_json::Value>().ok().and_then(|v| v["events"].as_array().map(Vec::len)).unwrap_or(0);
                Ok((r.status.as_u16(), events))
            }
            Err(e) => Err(e.to_string()),
        };
        let anonymous = ctx.http().get(&url, Auth::Anonymous).await.map(|r| r.status.as_u16()).map_err(|e| e.to_string());
        published.push(Published { entity: entity.clone(), as_user, anonymous });
    }
    let mut types: Vec<String> = all.iter().map(|e| e.entity_type.clone()).collect();
    types.sort();
    types.dedup();
    judge_t7(
        &TimelineFacts {
            app_id: run.app.id.clone(),
            user: run.user.clone(),
            published,
            types_in_store: types,
            kerberos: ctx.cluster.profile().kerberos(),
        },
        run,
    )
}

/// T7's judgment: the application published at least one entity with events; its user reads
/// each (200); on a Kerberos cluster, anonymous callers get 401.
pub fn judge_t7(f: &TimelineFacts, run: &AppRun) -> Verdict {
    let listing: Vec<String> = f
        .published
        .iter()
        .map(|p| {
            format!(
                "{} {}: as {} {}, anonymously {}",
                p.entity.entity_type,
                p.entity.id,
                f.user,
                match &p.as_user {
                    Ok((s, n)) => format!("{s} ({n} events)"),
                    Err(e) => e.clone(),
                },
                match &p.anonymous {
                    Ok(s) => s.to_string(),
                    Err(e) => e.clone(),
                }
            )
        })
        .collect();
    let evidence = vec![
        run.app_evidence(),
        Evidence::new(
            "timeline",
            format!("entities of {} in the timeline store", f.app_id),
            if listing.is_empty() { "(none)".into() } else { listing.join("\n") },
        ),
        Evidence::new("timeline", "entity types in the timeline store", f.types_in_store.join(", ")),
    ];
    if f.published.is_empty() {
        return Verdict::fail(
            format!("the timeline store holds no entity of {} (besides the ResourceManager's YARN_* ones): the application published nothing (a missing timeline token is the usual cause)", f.app_id),
            evidence,
        );
    }
    let mut problems = Vec::new();
    let events: usize = f.published.iter().filter_map(|p| p.as_user.as_ref().ok()).map(|(_, n)| n).sum();
    for p in &f.published {
        match &p.as_user {
            Ok((200, _)) => {}
            Ok((s, _)) => problems.push(format!("{} cannot read {} {} ({s})", f.user, p.entity.entity_type, p.entity.id)),
            Err(e) => problems.push(format!("reading {} {}: {e}", p.entity.entity_type, p.entity.id)),
        }
        if f.kerberos {
            match &p.anonymous {
                Ok(401) => {}
                Ok(s) if (200..300).contains(s) => {
                    problems.push(format!("{} {} is served anonymously ({s})", p.entity.entity_type, p.entity.id))
                }
                Ok(s) => problems.push(format!("an anonymous read of {} {} answered {s}, not 401", p.entity.entity_type, p.entity.id)),
                Err(e) => problems.push(format!("the anonymous read of {} {} got no answer: {e}", p.entity.entity_type, p.entity.id)),
            }
        }
    }
    if events == 0 && problems.is_empty() {
        problems.push("the application's entities hold no event".into());
    }
    let types: Vec<&str> = {
        let mut t: Vec<&str> = f.published.iter().map(|p| p.entity.entity_type.as_str()).collect();
        t.sort();
        t.dedup();
        t
    };
    Verdict::check(
        problems.is_empty(),
        if f.kerberos {
            format!("the application published {} entities ({}) with {events} events to the secure timeline server; {} reads them, anonymous callers get 401", f.published.len(), types.join(", "), f.user)
        } else {
            format!(
                "the application published {} entities ({}) with {events} events to the timeline server; {} reads them",
                f.published.len(),
                types.join(", "),
                f.user
            )
        },
        problems.join("; "),
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::app_run::fixtures::run;
    use crate::facts::token_file::TokenFile;
    use crate::verdict::Status;

    fn entity(t: &str, id: &str) -> StoredEntity {
        StoredEntity { entity_type: t.into(), id: id.into() }
    }

    #[test]
    fn the_applications_entities_are_found_whatever_their_type() {
        let all = [
            entity("YARN_APPLICATION", "application_1_0001"),
            entity("DS_APP_ATTEMPT", "appattempt_1_0001_000001"),
            entity("MAPREDUCE_JOB", "job_1_0001"),
            entity("DS_APP_ATTEMPT", "appattempt_1_0002_000001"),
        ];
        let found: Vec<&str> = published_by(&all, "application_1_0001").iter().map(|e| e.entity_type.as_str()).collect();
        assert_eq!(found, ["DS_APP_ATTEMPT", "MAPREDUCE_JOB"]);
    }

    #[test]
    fn t7_table() {
        let r = run(TokenFile::Missing, TokenFile::Missing, "", "", "");
        let published = |user: Result<(u16, usize), String>, anon: Result<u16, String>| Published {
            entity: entity("DS_APP_ATTEMPT", "appattempt_1_0001_000001"),
            as_user: user,
            anonymous: anon,
        };
        let facts = |p: Vec<Published>, kerberos: bool| TimelineFacts {
            app_id: "application_1_0001".into(),
            user: "alice".into(),
            published: p,
            types_in_store: vec![],
            kerberos,
        };
        let v = judge_t7(&facts(vec![published(Ok((200, 2)), Ok(401))], true), &r);
        assert_eq!(v.status, Status::Pass);
        assert!(v.reason.contains("secure"));
        let v = judge_t7(&facts(vec![published(Ok((200, 2)), Ok(200))], false), &r);
        assert_eq!(v.status, Status::Pass);
        assert!(!v.reason.contains("secure"), "{}", v.reason);
        assert_eq!(judge_t7(&facts(vec![published(Ok((200, 2)), Ok(200))], true), &r).status, Status::Fail);
        assert_eq!(judge_t7(&facts(vec![published(Ok((403, 0)), Ok(401))], true), &r).status, Status::Fail);
        assert_eq!(judge_t7(&facts(vec![published(Ok((200, 0)), Ok(401))], true), &r).status, Status::Fail);
        assert_eq!(judge_t7(&facts(vec![], true), &r).status, Status::Fail);
    }
}
