package explain

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/ingest"
)

// wording is a Problem's sentence in each language.
type wording struct {
	zh, en func(Problem) string
}

func fixed(zh, en string) wording {
	return wording{func(Problem) string { return zh }, func(Problem) string { return en }}
}

// fileZh and fileEn name the file of p in a sentence.
func fileZh(p Problem) string {
	if p.Path == "" {
		return "这个文件"
	}
	return "文件“" + baseName(p.Path) + "”"
}

func fileEn(p Problem) string {
	if p.Path == "" {
		return "The file"
	}
	return "The file " + baseName(p.Path)
}

// baseName is the last element of path; for the temporary file of an
// atomic write (".NAME.part-…") it is NAME, the file the user asked for.
func baseName(path string) string {
	b := filepath.Base(path)
	if i := strings.LastIndex(b, ".part-"); strings.HasPrefix(b, ".") && i > 1 {
		return b[1:i]
	}
	return b
}

var words = map[Code]wording{
	WrongPassphrase: fixed("密码不对，或者没有提供密码：这个证据包是加密的，请用导出时设置的密码再试一次。",
		"The passphrase is wrong or missing: this bundle is encrypted. Try again with the passphrase it was exported with."),
	BundleDamaged: fixed("这个证据包已损坏、导出后被改动过，或者不是 DisputeKit 的证据包，没有导入任何内容。请向对方重新要一份。",
		"This bundle is damaged, was changed after it was exported, or is not a DisputeKit bundle; nothing was imported. Ask for a fresh copy."),
	BadBackup: fixed("这个文件不是可用的 DisputeKit 备份（损坏或不完整），没有恢复任何内容。",
		"This file is not a usable DisputeKit backup (damaged or incomplete); nothing was restored."),
	DiskFull: {
		func(p Problem) string {
			s := "磁盘已满，操作没有完成，已写入的部分都已撤销。请清理磁盘空间后再试"
			if p.Free > 0 {
				s += "（目前只剩 " + evidence.SizeText(p.Free) + "）"
			}
			return s + "。"
		},
		func(p Problem) string {
			s := "The disk is full: nothing was half-written, but the operation did not finish. Free some space and try again"
			if p.Free > 0 {
				s += " (only " + evidence.SizeText(p.Free) + " is free now)"
			}
			return s + "."
		},
	},
	NotStatement: {
		func(p Problem) string {
			return fileZh(p) + "不是我们认识的账单。能读取的有：" + strings.Join(formatNames(true), "、") + "。其他表格可以先用“列映射”导入，或作为证据附件添加。"
		},
		func(p Problem) string {
			return fileEn(p) + " is not a statement we know. These are the ones we read: " + strings.Join(formatNames(false), ", ") +
				". Other tables can be imported with a column mapping, or attached as evidence."
		},
	},
	NeedMapping: fixed("这个表格的列需要手工对应（哪一列是时间、金额、商户……），请用列映射再导入。",
		"This table's columns need mapping by hand (which column is the time, the amount, the merchant …); import it again with a column mapping."),
	NoRows: {
		func(p Problem) string {
			if p.Skipped == 0 {
				s := fileZh(p) + "找到了表头"
				if p.HeaderLine > 0 {
					s += fmt.Sprintf("（第 %d 行）", p.HeaderLine)
				}
				return s + "，但下面没有交易行，没有存入任何内容。"
			}
			s := fmt.Sprintf("%s的 %d 行交易一行也没能读出来，没有存入任何内容。", fileZh(p), p.Skipped)
			if p.Skipped == 1 {
				s = fileZh(p) + "唯一的一行交易没能读出来，没有存入任何内容。"
			}
			if p.RowZh != "" {
				s += fmt.Sprintf("第 %d 行的原因：%s。", p.RowLine, strings.TrimRight(p.RowZh, "。."))
			}
			return s + "请检查它是不是完整的账单导出，或用列映射再导入。"
		},
		func(p Problem) string {
			if p.Skipped == 0 {
				s := fileEn(p) + " has a header"
				if p.HeaderLine > 0 {
					s += fmt.Sprintf(" (line %d)", p.HeaderLine)
				}
				return s + " but no transaction rows under it; nothing was stored."
			}
			s := fmt.Sprintf("None of the %d transaction rows of %s could be read; nothing was stored.", p.Skipped,
				strings.ToLower(fileEn(p)[:1])+fileEn(p)[1:])
			if p.Skipped == 1 {
				s = "The only transaction row of " + strings.ToLower(fileEn(p)[:1]) + fileEn(p)[1:] + " could not be read; nothing was stored."
			}
			if p.RowEn != "" {
				s += fmt.Sprintf(" Line %d: %s.", p.RowLine, strings.TrimRight(p.RowEn, "。."))
			}
			return s + " Check that it is a whole statement export, or import it with a column mapping."
		},
	},
	StoreLocked: fixed("案件库正在被另一个窗口或程序使用。请先关闭它；脚本里可以加 --wait 30s 排队等待。",
		"The case store is open in another window or program. Close it first; in a script, add --wait 30s to wait for your turn."),
	NewerSchema: fixed("这个案件库是由更新版本的 DisputeKit 写入的，请先升级 DisputeKit 再打开。",
		"This case store was written by a newer DisputeKit; update DisputeKit to open it."),
	FileNotFound: {
		func(p Problem) string { return fileZh(p) + "或它所在的文件夹不存在，请检查路径。" },
		func(p Problem) string { return fileEn(p) + " or its folder was not found; check the path." },
	},
	Permission: {
		func(p Problem) string {
			return "没有权限读写" + fileZh(p) + "，请检查文件权限或换一个位置。"
		},
		func(p Problem) string {
			return "You do not have permission to read or write " + strings.ToLower(fileEn(p)[:1]) + fileEn(p)[1:] + "; check its permissions or choose another place."
		},
	},
	NotAFile: {
		func(p Problem) string {
			return "给出的路径是文件夹、设备或管道，不是文件，请选择一个文件。"
		},
		func(p Problem) string {
			return "The path given is a folder, a device or a pipe, not a file; choose a file."
		},
	},
	RecordNotFound: fixed("找不到这个案件或记录（编号不对，或者已被删除），请用 dk case list 查看现有案件。",
		"That case or record was not found (wrong number, or deleted); see the cases with dk case list."),
	InvalidField: {
		func(p Problem) string { return "“" + fieldName(p.Field, true) + "”" + reasonZh(p) + "。" },
		func(p Problem) string { return "The " + fieldName(p.Field, false) + " " + reasonEn(p) + "." },
	},
	InvalidAmount: {
		func(p Problem) string { return "金额“" + p.Text + "”" + reasonZh(p) + "。" },
		func(p Problem) string { return "The amount " + fmt.Sprintf("%q", p.Text) + " " + reasonEn(p) + "." },
	},
	TooLarge: fixed("文件或案件超过了 DisputeKit 的上限（单个文件最多 "+evidence.SizeText(evidence.MaxExhibitSize)+"，一个案件的文件合计最多 "+evidence.SizeText(evidence.MaxCaseFilesSize)+"），没有保存。",
		"The file or the case is over DisputeKit's limits (at most "+evidence.SizeText(evidence.MaxExhibitSize)+" a file, "+evidence.SizeText(evidence.MaxCaseFilesSize)+" of files a case); nothing was stored."),
	HomeNotEmpty: fixed("要恢复到的目录不是空的。请恢复到一个新目录，或者加上 --force 替换它（原来的目录会改名保留在旁边）。",
		"The directory to restore into is not empty. Restore into a new directory, or pass --force to replace it (the old one is kept beside it, renamed)."),
	SomeFilesFailed: {
		func(p Problem) string {
			return fmt.Sprintf("共 %d 个文件，其中 %d 个没有保存（原因见上文），其余的已经保存。", p.Total, p.Failed)
		},
		func(p Problem) string {
			return fmt.Sprintf("%d of %d files were not stored (see above why); the others were.", p.Failed, p.Total)
		},
	},
	Duplicate: fixed("这项内容已经在案件里了，没有重复添加。", "That is already in the case; it was not added twice."),
	Stopped:   fixed("已停止，没有留下写了一半的内容。", "Stopped; nothing half-written was kept."),
	Unexpected: fixed("出现了意外的错误，操作没有完成。加上 --debug 再运行一次可以看到技术原因。",
		"Something unexpected went wrong and the operation did not finish. Run it again with --debug to see the technical cause."),
}

// reasonZh and reasonEn word a field's or an amount's refusal.
func reasonZh(p Problem) string {
	switch p.Reason {
	case evidence.ReasonRequired:
		return "必须填写"
	case evidence.ReasonFormat:
		return "的格式不对"
	case evidence.ReasonNegative:
		return "不能是负数"
	case evidence.ReasonNotAllowed:
		return "不是可选的值之一"
	case evidence.ReasonBeforeStart:
		return "早于它之前的日期"
	case evidence.ReasonTooLarge:
		if p.Field == "duration" {
			return "超过了上限（一次通话最长 24 小时）"
		}
		return "超过了单笔金额上限 " + evidence.MaxAmount.String()
	case evidence.ReasonZero:
		return "不能是 ¥0.00：记录一笔扣款需要它的金额"
	case evidence.ReasonDecimals:
		return "超过两位小数（金额精确到分）"
	case evidence.ReasonThousands:
		return "里的逗号位置不对：逗号只能每三位分隔千位（如 1,280.00），分请用小数点（如 12.80）"
	}
	return "不能接受"
}

func reasonEn(p Problem) string {
	switch p.Reason {
	case evidence.ReasonRequired:
		return "must be filled in"
	case evidence.ReasonFormat:
		return "is not written the expected way"
	case evidence.ReasonNegative:
		return "cannot be negative"
	case evidence.ReasonNotAllowed:
		return "is not one of the values it takes"
	case evidence.ReasonBeforeStart:
		return "is before the date it follows"
	case evidence.ReasonTooLarge:
		if p.Field == "duration" {
			return "is over the limit (a call lasts at most 24 hours)"
		}
		return "is more than the most DisputeKit takes for one amount, " + evidence.MaxAmount.String()
	case evidence.ReasonZero:
		return "cannot be ¥0.00: a charge being recorded needs its amount"
	case evidence.ReasonDecimals:
		return "has more than two decimal places (amounts go to the fen)"
	case evidence.ReasonThousands:
		return "has a comma in the wrong place: a comma separates thousands, every three digits (1,280.00); write a decimal point for fen (12.80)"
	}
	return "is not accepted"
}

// fieldNames are the fields FieldError names, in words. A field not listed
// is shown by its last part.
var fieldNames = map[string][2]string{
	"title": {"标题", "title"}, "scenario": {"问题类型", "scenario"}, "status": {"状态", "status"}, "role": {"身份", "role"},
	"kind": {"类型", "kind"}, "time": {"时间", "time"}, "amount": {"金额", "amount"}, "direction": {"方向", "direction"},
	"agreed": {"应收金额", "agreed amount"}, "fee": {"手续费", "fee"}, "size": {"大小", "size"}, "duration": {"通话时长", "call duration"},
	"due": {"截止日期", "due date"}, "complainant": {"投诉人", "complainant"}, "respondent": {"被投诉方", "respondent"},
	"institution": {"机构", "institution"}, "issuer": {"发卡行", "issuer"}, "acquirer": {"收单机构", "acquirer"},
	"settlement_bank": {"结算银行", "settlement bank"}, "claims": {"请求", "request"},
}

// fieldName words "claims[2].amount" as "请求2的金额" / "amount of request 2".
func fieldName(field string, zh bool) string {
	lang := 1
	if zh {
		lang = 0
	}
	name := func(part string) string {
		base, index, _ := strings.Cut(part, "[")
		n, ok := fieldNames[base]
		s := base
		if ok {
			s = n[lang]
		}
		if index = strings.TrimSuffix(index, "]"); index != "" {
			if zh {
				s += index
			} else {
				s += " " + index
			}
		}
		return s
	}
	parts := strings.Split(field, ".")
	if len(parts) == 1 {
		return name(parts[0])
	}
	if zh {
		return name(parts[0]) + "的" + name(parts[1])
	}
	return name(parts[1]) + " of the " + name(parts[0])
}

// formatNamesTable names every statement format ingest reads.
var formatNamesTable = map[string][2]string{
	ingest.FormatAlipay: {"支付宝交易明细", "Alipay statements"}, ingest.FormatWeChat: {"微信支付账单", "WeChat Pay statements"},
	ingest.FormatICBC: {"工商银行", "ICBC"}, ingest.FormatCCB: {"建设银行", "CCB"}, ingest.FormatABC: {"农业银行", "ABC"},
	ingest.FormatBOC: {"中国银行", "Bank of China"}, ingest.FormatBOCCredit: {"中国银行信用卡", "Bank of China credit card"},
	ingest.FormatCMB: {"招商银行", "China Merchants Bank"}, ingest.FormatCMBCredit: {"招商银行信用卡", "China Merchants Bank credit card"},
	ingest.FormatBOCOM: {"交通银行", "Bank of Communications"}, ingest.FormatBOCOMCredit: {"交通银行信用卡", "Bank of Communications credit card"},
	ingest.FormatCGBCredit: {"广发银行信用卡", "CGB credit card"}, ingest.FormatCITICCredit: {"中信银行信用卡", "CITIC credit card"},
	ingest.FormatJD: {"京东", "JD.com"}, ingest.FormatMeituan: {"美团", "Meituan"},
	ingest.FormatWeChatMerchant: {"微信支付商户账单", "WeChat Pay merchant statements"},
	ingest.FormatAlipayMerchant: {"支付宝商户账单", "Alipay merchant statements"},
	ingest.FormatMapped:         {"用列映射导入的任意表格", "any table imported with a column mapping"},
	ingest.FormatCalls:          {"通话记录", "call logs"},
}

// formatNames lists ingest.Formats in words, in its order.
func formatNames(zh bool) []string {
	var out []string
	for _, f := range ingest.Formats {
		n, ok := formatNamesTable[f]
		switch {
		case !ok:
			out = append(out, f)
		case zh:
			out = append(out, n[0])
		default:
			out = append(out, n[1])
		}
	}
	return out
}
