package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"shanyu/county"
	"shanyu/policy"
)

// benefitsOperation is the operation id of POST /api/v1/benefits.
const benefitsOperation = "calculate-benefits"

// BenefitsChild is one of the couple's children.
type BenefitsChild struct {
	BirthDate Day `json:"birth_date" doc:"Day of birth, YYYY-MM-DD; not after today (China Standard Time)" example:"2023-05-10"`
	Order     int `json:"order" minimum:"1" maximum:"10" doc:"Birth order among the couple's children, counting those born before 2023: 1 for the first. Twins take two orders, the first-born the lower." example:"2"`
}

// BenefitsRequest is the body of POST /api/v1/benefits. It is a body, not
// a query, so that birth dates stay out of URLs and access logs.
type BenefitsRequest struct {
	AsOf              Day             `json:"as_of" required:"false" doc:"Count what has fallen due by this day (YYYY-MM-DD). Default: today in China Standard Time." example:"2026-11-30"`
	Children          []BenefitsChild `json:"children,omitempty" maxItems:"10" doc:"The children already born; the first may be left out. Orders are distinct and follow the birth dates."`
	PregnantWithOrder *int            `json:"pregnant_with_order,omitempty" nullable:"true" minimum:"1" maximum:"11" doc:"Birth order of the child the mother is pregnant with (a pregnancy with twins counts once, with the lower order); leave it out if she is not pregnant" example:"3"`
	FundDepositors    int             `json:"fund_depositors,omitempty" minimum:"0" maximum:"2" doc:"How many of the couple pay into the housing provident fund (住房公积金): 0, 1 or 2" example:"2"`
}

// BenefitsInput is the request of POST /api/v1/benefits.
type BenefitsInput struct {
	Body BenefitsRequest
}

// PolicyRef names the policy document an answer comes from.
type PolicyRef struct {
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
	Issued string `json:"issued" doc:"Year of publication; the text leaves month and day blank"`
}

// BenefitsAnswer is what one family can get under the policy.
type BenefitsAnswer struct {
	Policy PolicyRef        `json:"policy"`
	Notice policy.Bilingual `json:"notice"`
	policy.BenefitAnswer
}

// BenefitsOutput is the answer of POST /api/v1/benefits.
type BenefitsOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         BenefitsAnswer
}

var benefitsNotice = policy.Bilingual{
	Zh: "这是按政策文本估算的结果，不是审批决定：能否领取、领取多少由发放部门决定。本服务不保存、不记录您提交的任何信息。",
	En: "An estimate from the policy's text, not a decision: the departments that pay decide. shanyu neither stores nor logs anything you send.",
}

const benefitsDescription = "What one family can get under the policy: the childcare allowance (clause （八）: 300 / 600 yuan a " +
	"month for a 2nd / 3rd child born from 2023-01-01, from the birth month for 36 months), the pregnancy subsidy (（十三）: " +
	"500 yuan once for a 2nd or 3rd child), the raised housing-provident-fund loan and rent ceilings (（八）: a 2nd or 3rd " +
	"child born from 2023-04-07), and inclusive childcare (（七）). Each item says whether the family is eligible and why, " +
	"in Chinese and English, with the clause; money items carry their months, total, what has fallen due by as_of and what " +
	"remains. The answer also lists the conditions the family must check itself, the policy's validity (a one-year trial, " +
	"七（一）) and the readings chosen where the text is ambiguous. The family's facts travel in the body, so they stay out " +
	"of URLs and logs; nothing is stored, and the answer is sent with Cache-Control: no-store."

func (s *Server) registerBenefits(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: benefitsOperation, Method: http.MethodPost, Path: "/api/v1/benefits",
		Summary: "What a family can get: allowances, subsidies and provident-fund ceilings", Tags: []string{"Benefits"},
		Description: benefitsDescription, MaxBodyBytes: 16 << 10},
		s.calculateBenefits)
}

// today returns today's date in China Standard Time, at midnight UTC like
// every date the calculator reads.
func today() time.Time {
	d, _ := calendarDay(county.Today())
	return d
}

// calendarDay turns a date Huma has already checked (format: date) into
// the midnight-UTC time the calculator counts months with.
func calendarDay(d county.Date) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s is not a day of the calendar: write the date as YYYY-MM-DD, such as 2023-05-10", d)
	}
	return t, nil
}

func (s *Server) calculateBenefits(ctx context.Context, in *BenefitsInput) (*BenefitsOutput, error) {
	var details []error
	now := today()
	asOf := now
	if in.Body.AsOf.D != "" {
		d, err := calendarDay(in.Body.AsOf.D)
		if err != nil {
			details = append(details, &huma.ErrorDetail{Location: "body.as_of", Value: in.Body.AsOf, Message: err.Error()})
		}
		asOf = d
	}
	family := policy.Family{FundDepositors: in.Body.FundDepositors}
	if in.Body.PregnantWithOrder != nil {
		family.PregnantWithOrder = *in.Body.PregnantWithOrder
	}
	for i, c := range in.Body.Children {
		d, err := calendarDay(c.BirthDate.D)
		if err != nil {
			details = append(details, &huma.ErrorDetail{Location: fmt.Sprintf("body.children[%d].birth_date", i), Value: c.BirthDate, Message: err.Error()})
		}
		family.Children = append(family.Children, policy.Child{BirthDate: d, Order: c.Order})
	}
	if len(details) == 0 {
		for _, e := range family.Check(now) {
			details = append(details, &huma.ErrorDetail{Location: "body." + e.Path, Value: e.Value, Message: e.Message})
		}
	}
	if len(details) > 0 {
		return nil, huma.Error422UnprocessableEntity("the family's facts do not fit: fix the fields listed in errors", details...)
	}
	snap := pinned(ctx)
	if snap == nil {
		return nil, errNoSnapshot
	}
	pol := snap.Policy()
	if pol == nil || pol.Benefits == nil {
		return nil, huma.Error409Conflict("this dataset's policy carries no benefit rules, so there is nothing to calculate: " +
			"its office imports a policy file with benefits (shanyu import --kind policy policy.json)")
	}
	ans, err := pol.Benefits.Calculate(family, asOf)
	if err != nil {
		return nil, s.problem(ctx, err, "")
	}
	out := &BenefitsOutput{CacheControl: "no-store"}
	out.Body.Policy = PolicyRef{NameZh: pol.TitleZh, NameEn: pol.TitleEn, Issued: pol.Issued}
	out.Body.Notice = benefitsNotice
	out.Body.BenefitAnswer = ans
	return out, nil
}

// explainBenefitsProblems adds the fix to Huma's own problems on the
// benefits body, which it answers before any handler runs: an unknown
// field says which fields the body takes, a date how to write one, a body
// that is not JSON how to send one.
func explainBenefitsProblems(ctx huma.Context, status string, v any) (any, error) {
	if ctx.Operation() == nil || ctx.Operation().OperationID != benefitsOperation {
		return v, nil
	}
	em, ok := v.(*huma.ErrorModel)
	if !ok {
		return v, nil
	}
	for _, d := range em.Errors {
		switch {
		case d == nil:
		case status == "422" && d.Message == "unexpected property":
			takes := "the body takes only as_of, children, pregnant_with_order and fund_depositors"
			if strings.HasPrefix(d.Location, "body.children[") {
				takes = "each child takes only birth_date and order"
			}
			d.Message = "unknown field: remove it; " + takes
		case status == "422" && d.Message == "expected string to be RFC 3339 date":
			d.Message = "write a day of the calendar as YYYY-MM-DD, such as 2023-05-10"
		case (status == "400" || status == "415") && d.Location == "body":
			d.Message += `; send a JSON object with Content-Type: application/json, such as {"children": [{"birth_date": "2023-05-10", "order": 2}]}`
		}
	}
	return em, nil
}
