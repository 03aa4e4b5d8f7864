//! Each CSV encoding a recruiting export arrives in, through the whole run:
//! GBK, GB18030 four-byte characters, Big5, UTF-16LE/BE with and without a
//! BOM, UTF-8 with a BOM.

use crate::common::{column, hrflow, output};

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn every_encoding_reaches_the_dataset_intact() {
    let dir = tempfile::tempdir().unwrap();
    let row = |name: &str, phone: &str, note: &str| {
        format!("姓名,手机号,备注\n{name},{phone},{note}\n李雷,13100131000,对照行\n")
    };
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "gbk.csv",
            encoding_rs::GBK
                .encode(&row("张三", "13800138000", "岗位已满，先放人才库"))
                .0
                .into_owned(),
        ),
        (
            "gb18030.csv",
            encoding_rs::GB18030
                .encode(&row("王芳", "13900139000", "生僻字𠀀䶵"))
                .0
                .into_owned(),
        ),
        // Big5 has no simplified characters: a Taiwan office writes the
        // header in traditional characters too.
        (
            "big5.csv",
            encoding_rs::BIG5
                .encode(
                    "姓名,手機號,備註\n陳曉明,13700137000,溝通能力強\n李雷,13100131000,對照行\n",
                )
                .0
                .into_owned(),
        ),
        (
            "utf16le_bom.csv",
            utf16(&row("赵六", "13600136000", "一"), true, true),
        ),
        (
            "utf16le.csv",
            utf16(&row("钱七", "13500135000", "二"), true, false),
        ),
        (
            "utf16be_bom.csv",
            utf16(&row("孙八", "13400134000", "三"), false, true),
        ),
        (
            "utf16be.csv",
            utf16(&row("周九", "13300133000", "四"), false, false),
        ),
        (
            "utf8_bom.csv",
            [
                b"\xEF\xBB\xBF".as_slice(),
                row("吴十", "13200132000", "五").as_bytes(),
            ]
            .concat(),
        ),
    ];
    let mut pipeline =
        String::from("name = \"enc\"\n[output]\ndir = \"out\"\nformats = [\"csv\"]\n");
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        pipeline.push_str(&format!("[[source]]\nkind = \"csv\"\npath = \"{name}\"\n"));
    }
    std::fs::write(dir.path().join("p.toml"), pipeline).unwrap();
    let mut c = hrflow(dir.path());
    c.args(["run", "p.toml"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");

    let csv = dir.path().join("out/csv/candidates.csv");
    let names = column(&csv, "name");
    for want in [
        "张三",
        "王芳",
        "陳曉明",
        "赵六",
        "钱七",
        "孙八",
        "周九",
        "吴十",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} missing from {names:?}"
        );
    }
    // The same 李雷 with the same phone in all eight files is one person.
    assert_eq!(names.iter().filter(|n| *n == "李雷").count(), 1);
    let keys = column(&csv, "name_key");
    assert!(
        keys.iter().any(|k| k == "陈晓明"),
        "traditional name gets a simplified key: {keys:?}"
    );
    let extra = column(&csv, "extra");
    assert!(
        extra.iter().any(|e| e.contains("生僻字𠀀䶵")),
        "GB18030 four-byte characters survive: {extra:?}"
    );
    let phones = column(&csv, "phone");
    assert!(phones.iter().any(|p| p == "+8613800138000"), "{phones:?}");

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/manifest.json")).unwrap())
            .unwrap();
    let enc = |file: &str| {
        manifest["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == file)
            .unwrap()["encoding"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(enc("gbk.csv"), "gb18030");
    assert_eq!(enc("big5.csv"), "Big5");
    assert_eq!(enc("utf16le.csv"), "UTF-16LE");
    assert_eq!(enc("utf16be_bom.csv"), "UTF-16BE");
    assert_eq!(enc("utf8_bom.csv"), "UTF-8");
}
