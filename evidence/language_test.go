package evidence

import "testing"

func TestInLanguage(t *testing.T) {
	for _, tc := range []struct{ in, lang, want string }{
		{"交易记录 / transaction records", "zh", "交易记录"},
		{"交易记录 / transaction records", "en", "transaction records"},
		{"微信支付账单导出 / WeChat Pay export", "en", "WeChat Pay export"},
		{"工号 A / 工单 B", "en", "工号 A / 工单 B"}, // both halves Chinese: the user's own text
		{"A / B", "zh", "A / B"},
		{"证明金额", "en", "证明金额"},
	} {
		if got := InLanguage(tc.in, tc.lang); got != tc.want {
			t.Errorf("InLanguage(%q, %s) = %q, want %q", tc.in, tc.lang, got, tc.want)
		}
	}
}
