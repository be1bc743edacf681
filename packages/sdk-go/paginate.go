package tally

import (
	"context"
	"iter"
	"net/http"

	"github.com/tally-billing/tally/packages/sdk-go/generated"
)

// Page is what every list and search answers: FlexPrice's {items, pagination: {total, limit, offset}}.
type Page[T any] interface {
	GetItems() []T
	GetPagination() generated.Pagination
}

// PageFunc fetches one page; it is the generated Execute of a list or search with limit and
// offset applied.
type PageFunc[P any] func(ctx context.Context, limit, offset int32) (P, *http.Response, error)

// All yields every item of every page, fetching pages as the loop asks for them. The offset a
// page answers with is already the next page's offset (as in FlexPrice); iteration stops when it
// reaches total or a page comes back empty. An error is yielded once, and ends the iteration.
//
//	for customer, err := range tally.All[generated.CustomerResponse](ctx, 100,
//		func(ctx context.Context, limit, offset int32) (*generated.ListCustomersResponse, *http.Response, error) {
//			return client.CustomersAPI.ListCustomers(ctx).Limit(limit).Offset(offset).Execute()
//		}) { … }
func All[T any, P Page[T]](ctx context.Context, limit int32, fetch PageFunc[P]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var offset int32
		for {
			page, err := Call(fetch(ctx, limit, offset))
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			items := page.GetItems()
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if len(items) == 0 {
				return
			}
			pagination := page.GetPagination()
			next := pagination.Offset
			if next == 0 {
				next = offset + int32(len(items))
			}
			// A server that does not move the offset forward would loop for ever.
			if next <= offset || next >= pagination.Total {
				return
			}
			offset = next
		}
	}
}

// CollectAll is [All] into one slice.
func CollectAll[T any, P Page[T]](ctx context.Context, limit int32, fetch PageFunc[P]) ([]T, error) {
	var all []T
	for item, err := range All[T](ctx, limit, fetch) {
		if err != nil {
			return all, err
		}
		all = append(all, item)
	}
	return all, nil
}
