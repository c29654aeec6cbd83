//! Hadoop configuration files.

mod site_xml;

pub use site_xml::SiteXml;
