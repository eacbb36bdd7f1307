// Multiplies its input by the parameter K one cycle later; no reset. Built twice in the tests,
// with K = 3 and K = 5, to load two models with the same top name into one JVM.
module scaler #(
    parameter K = 3
) (
    input  wire        clk,
    input  wire [15:0] x,
    output reg  [19:0] y
);
    localparam [19:0] KW = K[19:0];

    always @(posedge clk) begin
        y <= {4'd0, x} * KW;
    end
endmodule
