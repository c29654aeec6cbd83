//! `org.apache.hadoop.security.JniBasedUnixGroupsMapping`: the default group mapping
//! (`JniBasedUnixGroupsMappingWithFallback`) uses it as soon as libhadoop is loaded.

use jni::objects::{JClass, JObject, JString};
use jni::sys::jobjectArray;
use jni::JNIEnv;

use crate::files::text_or_empty;
use crate::names;
use crate::throw::{guard, non_null};

#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_security_JniBasedUnixGroupsMapping_anchorNative<'l>(_: JNIEnv<'l>, _: JClass<'l>) {}

/// The user's groups by name, primary first; empty for a user without an account.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_security_JniBasedUnixGroupsMapping_getGroupsForUser<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    user: JString<'l>,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        non_null(&user, "the user")?;
        let groups = names::groups_of(&text_or_empty(env, &user));
        let array = env.new_object_array(groups.len() as i32, "java/lang/String", JObject::null())?;
        for (i, g) in groups.iter().enumerate() {
            let s = env.new_string(g)?;
            env.set_object_array_element(&array, i as i32, s)?;
        }
        Ok(array.into_raw())
    })
}
