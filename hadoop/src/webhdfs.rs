//! WebHDFS: file status, directories, files, owners and delegation tokens over the NameNode's
//! HTTP port, authenticated with SPNEGO (or a delegation token), optionally as a proxy user.

use reqwest::Method;
use serde::Deserialize;

use crate::http::{Auth, HttpError, HttpResponse, SpnegoClient};

/// WebHDFS of one NameNode.
///
/// ```no_run
/// # async fn demo(client: yarnsec_hadoop::SpnegoClient, alice: yarnsec_hadoop::Credential) -> Result<(), yarnsec_hadoop::HttpError> {
/// use yarnsec_hadoop::{http::Auth, webhdfs::WebHdfs};
/// let fs = WebHdfs::new(client, "http://hadoop.example.test:9870");
/// let status = fs.status("/user/alice", Auth::Kerberos(&alice), None).await?;
/// assert_eq!(status.owner, "alice");
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct WebHdfs {
    client: SpnegoClient,
    base: String,
}

/// `FileStatus` as WebHDFS returns it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FileStatus {
    /// Owner user name.
    pub owner: String,
    /// Group.
    pub group: String,
    /// Octal permission, e.g. `700`.
    pub permission: String,
    /// `FILE`, `DIRECTORY` or `SYMLINK`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Length in bytes (files).
    pub length: u64,
    /// Name relative to the listed directory (empty for a status call).
    #[serde(default)]
    pub path_suffix: String,
    /// Last modification, ms since the epoch (YARN checks it when localizing a file).
    #[serde(default)]
    pub modification_time: i64,
}

#[derive(Deserialize)]
struct ListEnvelope {
    #[serde(rename = "FileStatuses")]
    statuses: ListInner,
}

#[derive(Deserialize)]
struct ListInner {
    #[serde(rename = "FileStatus", default)]
    file_status: Vec<FileStatus>,
}

#[derive(Deserialize)]
struct StatusEnvelope {
    #[serde(rename = "FileStatus")]
    file_status: FileStatus,
}

#[derive(Deserialize)]
struct TokenEnvelope {
    #[serde(rename = "Token")]
    token: UrlString,
}

#[derive(Deserialize)]
struct UrlString {
    #[serde(rename = "urlString")]
    url_string: String,
}

/// The parameters of a `GETDELEGATIONTOKEN` request.
#[derive(Clone, Debug, Default)]
pub struct TokenRequest<'a> {
    /// Who may renew the token: for a YARN submission, the ResourceManager's short name.
    pub renewer: Option<&'a str>,
    /// The token kind to issue, e.g. `HDFS_DELEGATION_TOKEN` (for RPC use by the RM and tasks).
    pub kind: Option<&'a str>,
    /// The token's service, e.g. the NameNode's `ip:port`.
    pub service: Option<&'a str>,
}

impl WebHdfs {
    /// WebHDFS at `base` (`http://host:port`).
    pub fn new(client: SpnegoClient, base: &str) -> Self {
        Self { client, base: base.trim_end_matches('/').to_string() }
    }

    fn url(&self, path: &str, op: &str, params: &[(&str, &str)], do_as: Option<&str>) -> String {
        let mut url = url::Url::parse(&format!("{}/webhdfs/v1{}", self.base, path)).expect("base is a URL");
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("op", op);
            for (k, v) in params {
                q.append_pair(k, v);
            }
            if let Some(user) = do_as {
                q.append_pair("doas", user);
            }
        }
        url.to_string()
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        op: &str,
        params: &[(&str, &str)],
        auth: Auth<'_>,
        do_as: Option<&str>,
    ) -> Result<HttpResponse, HttpError> {
        let url = self.url(path, op, params, do_as);
        self.client.send(method.clone(), &url, auth, None, None).await?.success(method.as_str())
    }

    /// `GETFILESTATUS`.
    pub async fn status(&self, path: &str, auth: Auth<'_>, do_as: Option<&str>) -> Result<FileStatus, HttpError> {
        let r = self.call(Method::GET, path, "GETFILESTATUS", &[], auth, do_as).await?;
        Ok(r.json::<StatusEnvelope>()?.file_status)
    }

    /// `LISTSTATUS`: the entries of the directory at `path` (their names in `path_suffix`).
    pub async fn list(&self, path: &str, auth: Auth<'_>, do_as: Option<&str>) -> Result<Vec<FileStatus>, HttpError> {
        let r = self.call(Method::GET, path, "LISTSTATUS", &[], auth, do_as).await?;
        Ok(r.json::<ListEnvelope>()?.statuses.file_status)
    }

    /// `MKDIRS`, with an optional octal permission.
    pub async fn mkdirs(&self, path: &str, permission: Option<&str>, auth: Auth<'_>, do_as: Option<&str>) -> Result<(), HttpError> {
        let params: Vec<(&str, &str)> = permission.map(|p| ("permission", p)).into_iter().collect();
        self.call(Method::PUT, path, "MKDIRS", &params, auth, do_as).await.map(drop)
    }

    /// `SETOWNER`.
    pub async fn set_owner(&self, path: &str, owner: &str, group: &str, auth: Auth<'_>) -> Result<(), HttpError> {
        self.call(Method::PUT, path, "SETOWNER", &[("owner", owner), ("group", group)], auth, None).await.map(drop)
    }

    /// `SETPERMISSION` (octal).
    pub async fn set_permission(&self, path: &str, permission: &str, auth: Auth<'_>, do_as: Option<&str>) -> Result<(), HttpError> {
        self.call(Method::PUT, path, "SETPERMISSION", &[("permission", permission)], auth, do_as).await.map(drop)
    }

    /// `DELETE` (recursive).
    pub async fn delete(&self, path: &str, auth: Auth<'_>, do_as: Option<&str>) -> Result<(), HttpError> {
        self.call(Method::DELETE, path, "DELETE", &[("recursive", "true")], auth, do_as).await.map(drop)
    }

    /// `CREATE`: writes `data` to `path` (following the NameNode's redirect to a DataNode).
    pub async fn create(&self, path: &str, data: Vec<u8>, overwrite: bool, auth: Auth<'_>, do_as: Option<&str>) -> Result<(), HttpError> {
        let url = self.url(path, "CREATE", &[("overwrite", if overwrite { "true" } else { "false" })], do_as);
        let first = self.client.send(Method::PUT, &url, auth, None, None).await?;
        let location = redirect_target(first, "PUT")?;
        // The DataNode URL carries a delegation token the NameNode issued; no SPNEGO there.
        self.client
            .send(Method::PUT, &location, Auth::Anonymous, Some((data, "application/octet-stream")), None)
            .await?
            .success("PUT")
            .map(drop)
    }

    /// `OPEN`: reads the file at `path`.
    pub async fn open(&self, path: &str, auth: Auth<'_>, do_as: Option<&str>) -> Result<Vec<u8>, HttpError> {
        let url = self.url(path, "OPEN", &[], do_as);
        let first = self.client.send(Method::GET, &url, auth, None, None).await?;
        let location = redirect_target(first, "GET")?;
        Ok(self.client.send(Method::GET, &location, Auth::Anonymous, None, None).await?.success("GET")?.body)
    }

    /// `GETDELEGATIONTOKEN`: a token in URL-safe string form for the authenticated (or proxied) user.
    pub async fn delegation_token(&self, request: &TokenRequest<'_>, auth: Auth<'_>, do_as: Option<&str>) -> Result<String, HttpError> {
        let mut params = Vec::new();
        if let Some(r) = request.renewer {
            params.push(("renewer", r));
        }
        if let Some(k) = request.kind {
            params.push(("kind", k));
        }
        if let Some(s) = request.service {
            params.push(("service", s));
        }
        let r = self.call(Method::GET, "/", "GETDELEGATIONTOKEN", &params, auth, do_as).await?;
        Ok(r.json::<TokenEnvelope>()?.token.url_string)
    }

    /// `RENEWDELEGATIONTOKEN`: returns the new expiry (ms since the epoch). Only the token's
    /// renewer may do this.
    pub async fn renew_delegation_token(&self, token: &str, auth: Auth<'_>) -> Result<i64, HttpError> {
        let r = self.call(Method::PUT, "/", "RENEWDELEGATIONTOKEN", &[("token", token)], auth, None).await?;
        #[derive(Deserialize)]
        struct Long {
            long: i64,
        }
        Ok(r.json::<Long>()?.long)
    }

    /// `CANCELDELEGATIONTOKEN`.
    pub async fn cancel_delegation_token(&self, token: &str, auth: Auth<'_>) -> Result<(), HttpError> {
        self.call(Method::PUT, "/", "CANCELDELEGATIONTOKEN", &[("token", token)], auth, None).await.map(drop)
    }
}

fn redirect_target(response: HttpResponse, method: &str) -> Result<String, HttpError> {
    if response.status.is_redirection() {
        if let Some(location) = response.header("location") {
            return Ok(location.to_string());
        }
    }
    let url = response.url.clone();
    match response.success(method) {
        Err(e) => Err(e),
        Ok(r) => Err(HttpError::Status {
            method: method.into(),
            url,
            status: r.status.as_u16(),
            body: "expected a redirect to a DataNode".into(),
        }),
    }
}
