//! The `/jmx` servlet every Hadoop daemon serves: JSON beans by query.

use serde_json::Value;

use crate::http::{Auth, HttpError, SpnegoClient};

/// Reads one MBean, e.g. `Hadoop:service=NameNode,name=FSNamesystemState`, from the daemon at
/// `base` (`http://host:port`). Returns `Value::Null` when the daemon has no such bean.
///
/// ```no_run
/// # async fn demo(client: yarnsec_hadoop::SpnegoClient, alice: yarnsec_hadoop::Credential) -> Result<(), yarnsec_hadoop::HttpError> {
/// use yarnsec_hadoop::{http::Auth, jmx};
/// let bean = jmx::bean(&client, "http://hadoop.example.test:9870", "Hadoop:service=NameNode,name=FSNamesystemState", Auth::Kerberos(&alice)).await?;
/// println!("live datanodes: {}", bean["NumLiveDataNodes"]);
/// # Ok(()) }
/// ```
pub async fn bean(client: &SpnegoClient, base: &str, query: &str, auth: Auth<'_>) -> Result<Value, HttpError> {
    let url =
        format!("{}/jmx?qry={}", base.trim_end_matches('/'), url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>());
    let v: Value = client.get(&url, auth).await?.success("GET")?.json()?;
    Ok(v["beans"].get(0).cloned().unwrap_or(Value::Null))
}
